import { h } from '../components/dom';
import type { View } from './registry';

export const chainRuleView: View = {
  id: 'chain-rule',
  title: 'The chain rule',
  mount(root) {
    root.append(h('h2', {}, 'The chain rule'));
    return () => {};
  },
};
