import { m } from '../../paraglide/messages.js';
import { liveLabels } from '../agenda/labels.ts';

/** 议题类别: what a resident picks when raising a concern. */
export const CONCERN_CATEGORIES = ['facilities', 'traffic', 'environment', 'safety', 'property', 'neighbours', 'other'] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

/** In the reader's language (see ../agenda/labels.ts). */
export const CATEGORY_LABELS: Record<ConcernCategory, string> = liveLabels({
	facilities: m.concerns_category_facilities,
	traffic: m.concerns_category_traffic,
	environment: m.concerns_category_environment,
	safety: m.concerns_category_safety,
	property: m.concerns_category_property,
	neighbours: m.concerns_category_neighbours,
	other: m.concerns_category_other
});
