import { buildSite } from './browser-harness';

/** Builds the site once per run, before any browser test file opens it. */
export default async function setup(): Promise<void> {
  await buildSite();
}
