// Prints "N passed, N failed" from vitest's JSON report. When the report is
// missing (the type-check or the build failed before vitest ran), that failure
// counts as one. Each check that .ci/checks.sh wrote as failed counts as one more.
import { existsSync, readFileSync } from 'node:fs';

const [report, status, checks] = process.argv.slice(2);
const failedChecks =
  checks && existsSync(checks)
    ? readFileSync(checks, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('fail ')).length
    : 0;
if (!report || !existsSync(report)) {
  console.log(`0 passed, ${(status === '0' ? 0 : 1) + failedChecks} failed`);
} else {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
  console.log(`${r.numPassedTests} passed, ${failed + failedChecks} failed`);
}
