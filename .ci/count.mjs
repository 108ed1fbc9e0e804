// Prints "N passed, N failed" from vitest's JSON report. When the report is
// missing (the type-check failed before vitest ran), that failure counts as one.
import { existsSync, readFileSync } from 'node:fs';

const [report, status] = process.argv.slice(2);
if (!existsSync(report)) {
  console.log(`0 passed, ${status === '0' ? 0 : 1} failed`);
} else {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed`);
}
