/**
 * A describe block that needs a component a fresh machine may lack (a PostgreSQL server, Chromium).
 * Without it the suite does not pass silently: under CI=true it fails, elsewhere it says why it did not run.
 */
export function describeNeeding(
  component: string,
  unavailable: string | undefined,
  name: string,
  body: () => void,
): void {
  if (unavailable === undefined) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    if (process.env.CI === 'true') {
      it(`needs ${component} (required under CI)`, () => {
        throw new Error(unavailable);
      });
    } else {
      it(`did not run: no ${component} here`, () => {
        // eslint-disable-next-line no-console -- why a suite did not run must be visible in the test output
        console.warn(`${name}: not run. ${unavailable}`);
      });
    }
  });
}
