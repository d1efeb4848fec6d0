/** The services `npm test` provides (scripts/test.ts); tests refuse to run without them. */
export function testServices() {
  const need = (name: string) => {
    const value = process.env[name];
    if (!value)
      throw new Error(
        `${name} is not set: run the tests with \`npm test\`, which starts the services they use`,
      );
    return value;
  };
  return {
    temporalAddress: need('TEMPORAL_ADDRESS'),
    databaseUrl: need('DATABASE_URL'),
    simUrl: need('QBO_SIM_URL'),
    workflowBundlePath: need('WORKFLOW_BUNDLE_PATH'),
  };
}
