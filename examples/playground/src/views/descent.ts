import { h } from '../components/dom';
import type { View } from './registry';

export const descentView: View = {
  id: 'descent',
  title: 'Descent',
  mount(root) {
    root.append(h('h2', {}, 'Descent'));
    return () => {};
  },
};
