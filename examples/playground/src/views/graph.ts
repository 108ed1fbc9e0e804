import { h } from '../components/dom';
import type { View } from './registry';

export const graphView: View = {
  id: 'graph',
  title: 'The graph',
  mount(root) {
    root.append(h('h2', {}, 'The graph'));
    return () => {};
  },
};
