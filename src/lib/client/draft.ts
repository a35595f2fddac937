/**
 * Keeps what a person typed into a form in sessionStorage (this tab only), so a post that ends on
 * the login page (the session ran out while they wrote) or a page reloaded by mistake loses nothing:
 * the form is filled again when it next appears. Only text fields, selects and checkboxes; never
 * files or passwords. Cleared once the form has been accepted.
 */
type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

const storageKey = (key: string) => `yishi-draft:${key}`;

function fieldsOf(form: HTMLFormElement): Field[] {
	return [...form.elements]
		.filter(
			(e): e is Field =>
				(e instanceof HTMLInputElement && ['text', 'search', 'tel', 'date', 'checkbox', 'number'].includes(e.type)) ||
				e instanceof HTMLTextAreaElement ||
				e instanceof HTMLSelectElement
		)
		.filter((e) => e.name !== '');
}

function read(key: string): Record<string, string[]> | null {
	try {
		const raw = sessionStorage.getItem(storageKey(key));
		return raw ? (JSON.parse(raw) as Record<string, string[]>) : null;
	} catch {
		return null;
	}
}

export function clearDraft(key: string): void {
	try {
		sessionStorage.removeItem(storageKey(key));
	} catch {
		// storage unavailable (private mode in old WebViews): nothing was kept
	}
}

/**
 * Svelte action: `<form use:keepDraft={'concern-new'}>`. Restores a saved draft into fields that are
 * still empty (what the server sent back after a refusal wins), then saves on every change.
 */
export function keepDraft(form: HTMLFormElement, key: string) {
	const saved = read(key);
	if (saved) {
		const typed = fieldsOf(form).filter(
			(f) => f instanceof HTMLTextAreaElement || (f instanceof HTMLInputElement && f.type !== 'checkbox')
		);
		if (typed.every((f) => f.value === '')) {
			for (const f of fieldsOf(form)) {
				const values = saved[f.name];
				if (!values) continue;
				if (f instanceof HTMLInputElement && f.type === 'checkbox') f.checked = values.includes(f.value);
				else if (values[0] !== undefined) f.value = values[0];
				f.dispatchEvent(new Event('change', { bubbles: true }));
			}
		}
	}
	const save = () => {
		const values: Record<string, string[]> = {};
		for (const f of fieldsOf(form)) {
			if (f instanceof HTMLInputElement && f.type === 'checkbox') {
				if (f.checked) (values[f.name] ??= []).push(f.value);
			} else (values[f.name] ??= []).push(f.value);
		}
		try {
			sessionStorage.setItem(storageKey(key), JSON.stringify(values));
		} catch {
			// storage full or unavailable: the form itself still works
		}
	};
	form.addEventListener('input', save);
	form.addEventListener('change', save);
	return {
		destroy() {
			form.removeEventListener('input', save);
			form.removeEventListener('change', save);
		}
	};
}
