/** The one clock of the server, replaceable in tests that fake time. */
export const clock = { now: (): number => Date.now() };
