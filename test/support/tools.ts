/**
 * Suites that need a tool from outside the project (xmllint, curl, the Debian sources): a missing
 * tool is never silent. Without CI=true the suite is skipped with a SKIPPING line naming the tool
 * and its Debian package; under CI=true the suite runs, and fails where it needs the tool.
 */
export function runsWith(suite: string, present: boolean, hint: string): boolean {
  if (present || process.env.CI === 'true') return true;
  console.warn(`SKIPPING ${suite}: ${hint}`);
  return false;
}
