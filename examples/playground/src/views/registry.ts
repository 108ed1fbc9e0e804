/**
 * The views of the playground, in tab order. main.ts builds the tabs and the
 * hash routes (`#/<id>`) from this list; a view draws itself into `root` and
 * returns the function that tears it down (timers, workers, subscriptions).
 */
import { chainRuleView } from './chain-rule';
import { descentView } from './descent';
import { graphView } from './graph';
import { neuronsView } from './neurons';
// Views 5 and 6 (pg-train): training in Web Workers.
import { digitsView } from './digits/view';
import { playgroundView } from './playground/view';

export interface View {
  /** The route: the view is at `#/<id>`. */
  id: string;
  /** The tab's text. */
  title: string;
  /** Draws the view into root; the returned function undoes everything mount started. */
  mount(root: HTMLElement): () => void;
}

export const views: View[] = [
  neuronsView,
  chainRuleView,
  graphView,
  descentView,
  // Views 5 and 6 (pg-train).
  playgroundView,
  digitsView,
];
