/**
 * The file switch through which another process (`npm run rebuild`) pauses a stream consumer of
 * a running `npm start`.
 */
import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files through which another process pauses a local stream consumer: it creates `<name>.pause`,
 * and the consumer, between two batches (nothing in flight), answers with `<name>.paused`.
 */
export const pauseFiles = (dir: string, name: string) => ({
  request: join(dir, `${name}.pause`),
  acknowledged: join(dir, `${name}.paused`),
});

export function pauseSwitch(dir: string, name: string) {
  const files = pauseFiles(dir, name);
  let acknowledged = false;
  return async () => {
    const paused = await access(files.request).then(
      () => true,
      () => false,
    );
    if (paused && !acknowledged) await writeFile(files.acknowledged, new Date().toISOString());
    if (!paused && acknowledged) await rm(files.acknowledged, { force: true });
    acknowledged = paused;
    return paused;
  };
}
