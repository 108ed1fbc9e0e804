/**
 * The playground's shell: one tab per view of the registry, routed by the URL
 * hash (`#/neurons`, `#/chain-rule`, ...), so every view has a link a person
 * can share and the back button works.
 */
import './style.css';
import { publish } from './hook';
import { type View, views } from './views/registry';

const tabs = document.getElementById('tabs') as HTMLElement;
const root = document.getElementById('view') as HTMLElement;

for (const view of views) {
  const link = document.createElement('a');
  link.href = `#/${view.id}`;
  link.textContent = view.title;
  link.dataset.view = view.id;
  tabs.append(link);
}

let current: { view: View; unmount: () => void } | null = null;

function route(): void {
  const id = location.hash.replace(/^#\/?/, '');
  const view = views.find((v) => v.id === id) ?? views[0]!;
  if (current?.view === view) return;
  current?.unmount();
  current = null;
  root.replaceChildren();
  root.dataset.view = view.id;
  for (const link of Array.from(tabs.querySelectorAll<HTMLAnchorElement>('a'))) {
    if (link.dataset.view === view.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${view.title} · chainrule playground`;
  current = { view, unmount: view.mount(root) };
  publish('view', view.id);
}

window.addEventListener('hashchange', () => {
  route();
  // Keyboard and screen-reader users land on the view they chose, not back at the tabs.
  root.focus({ preventScroll: true });
});
route();
