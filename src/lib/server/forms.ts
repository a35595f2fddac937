import { formValues } from './http.ts';

/** A form's fields plus the name of the form, so a page with several forms shows each outcome next to its own. */
export function formFields(data: FormData, names: string[], form: string): Record<string, string> {
	return { ...formValues(data, names), _form: form } as Record<string, string>;
}
