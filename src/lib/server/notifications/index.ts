/**
 * What waits for a person: in-app notices and reminders (通知、提醒), the weekly digest, the 待办
 * computed from the data, and the home page that gathers them.
 */
export { inbox, digest, markRead, unreadCount, notify, type InboxEntry } from './inbox.ts';
export { pendingActions } from './pending.ts';
export { personalHome, publicHome, type PersonalHome } from './home.ts';
