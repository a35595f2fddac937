/**
 * The one Tiptap extension set of a drafted alternative. The editor (with Collaboration bound to
 * the 'content' fragment) and the server renderer (generateHTML at view and freeze time) must use
 * this same list: a node the server does not know would silently vanish from the frozen text.
 *
 * Editor usage (client, later):
 *   new Editor({ extensions: [...draftExtensions, Collaboration.configure({ document: ydoc, field: CONTENT_FIELD }),
 *     CollaborationCaret.configure({ provider, user })] })
 * Undo/redo is off here because Collaboration brings its own Yjs-aware undo.
 */
import type { Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';

export const draftExtensions: Extensions = [
	StarterKit.configure({
		undoRedo: false,
		link: {
			openOnClick: false,
			autolink: true,
			protocols: ['http', 'https', 'mailto', 'tel'],
			HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' }
		}
	}),
	TableKit.configure({ table: { resizable: false } })
];
