// The root's preinstall: this workspace links its packages with pnpm's
// `workspace:` protocol, which npm and yarn do not understand; say so in one
// line instead of letting a half-done install fail later.
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  const tool = agent.split('/')[0] || 'this package manager';
  console.error(
    `chainrule's workspace installs with pnpm, not ${tool}: run \`npm install -g pnpm@10 && pnpm install\` (or \`corepack enable\`), then \`pnpm demo\`.`,
  );
  process.exit(1);
}
