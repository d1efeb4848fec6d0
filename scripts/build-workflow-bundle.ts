import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Bundles workflows/ the way the worker loads them. The bundler rejects Node built-ins and other
 * non-deterministic modules that `tsc` accepts, so this is also a determinism check.
 */
export async function buildWorkflowBundle(
  outFile = path.join(__dirname, '..', '.build', 'workflow-bundle.js'),
) {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: new DefaultLogger('WARN'),
  });
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, code);
  return outFile;
}

if (require.main === module) {
  buildWorkflowBundle(process.argv[2]).then(
    (file) => console.log(`workflow bundle written to ${file}`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
