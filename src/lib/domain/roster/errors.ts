/** The file itself cannot be read (not a roster problem of some row). `message` is Chinese, for the user. */
export class RosterFileError extends Error {
	constructor(
		readonly reason: 'legacy_xls' | 'bad_xlsx' | 'empty' | 'unreadable' | 'too_large' | 'too_slow',
		message: string
	) {
		super(message);
		this.name = 'RosterFileError';
	}
}
