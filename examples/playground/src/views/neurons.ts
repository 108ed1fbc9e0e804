/**
 * View 1: neurons and weights. One button per step of the tutorial: the
 * forward pass a⁽ˡ⁾ = σ(W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾) with the real numbers, the cost,
 * the backward pass (gradients on every connection and neuron), one SGD step.
 */
import { drawNetwork } from '../components/network-svg';
import { fmt, h, matrix } from '../components/dom';
import { publish } from '../hook';
import { type Built, build, initialState, parseSizes, sgdStep, sup } from '../model/network';
import { learningRate, network } from '../model/store';
import type { View } from './registry';

/** How far through one training step the page is. */
type Phase = 'start' | 'forward' | 'cost' | 'backward';

export const neuronsView: View = {
  id: 'neurons',
  title: 'Neurons and weights',
  mount(root) {
    let phase: Phase = 'start';
    let built: Built | null = null;

    const sizesInput = h('input', {
      id: 'sizes',
      value: network.get().sizes.join('-'),
      size: 10,
      'aria-describedby': 'sizes-error',
    });
    const sizesError = h('span', { id: 'sizes-error', class: 'error', role: 'alert' });
    const lrInput = h('input', { id: 'lr', type: 'number', step: 0.1, min: 0, value: learningRate.get() });
    const buttons = {
      forward: h('button', { id: 'step-forward' }, 'Forward pass'),
      cost: h('button', { id: 'step-cost' }, 'Cost'),
      backward: h('button', { id: 'step-backward' }, 'Backward pass'),
      update: h('button', { id: 'step-update' }, 'SGD update'),
      reset: h('button', { id: 'reset', class: 'secondary' }, 'Reset'),
    };
    const drawing = h('div', { class: 'drawing' });
    const side = h('div', { class: 'panel', id: 'neurons-panel', 'aria-live': 'polite' });
    root.append(
      h('h2', {}, 'Neurons and weights'),
      h(
        'p',
        { class: 'lead' },
        'Each circle is a neuron holding its activation a; each line a weight w (blue positive, orange negative, thicker is larger); each neuron below the input has a bias b. Step through one forward pass, the cost, one backward pass and one step of gradient descent.',
      ),
      h(
        'div',
        { class: 'controls' },
        h('label', { for: 'sizes' }, 'Layer sizes', sizesInput),
        h('button', { id: 'apply-sizes', class: 'secondary' }, 'Rebuild'),
        h('label', { for: 'lr' }, 'Learning rate η', lrInput),
        sizesError,
      ),
      h(
        'div',
        { class: 'controls', role: 'toolbar', 'aria-label': 'Steps' },
        buttons.forward,
        buttons.cost,
        buttons.backward,
        buttons.update,
        buttons.reset,
      ),
      h('div', { class: 'split' }, drawing, side),
      h(
        'p',
        { class: 'legend' },
        'Numbers come from chainrule’s scalar Value graph in float64; ∂ marks ∂C/∂w and ∂C/∂b after the backward pass.',
      ),
    );

    const render = () => {
      const state = network.get();
      const shown = phase === 'start' ? null : built;
      drawing.replaceChildren(
        drawNetwork({ state, built: shown, showActivations: phase !== 'start', showGradients: phase === 'backward' }),
      );
      buttons.cost.disabled = phase === 'start';
      buttons.backward.disabled = phase !== 'cost';
      buttons.update.disabled = phase !== 'backward';
      side.replaceChildren(...explain(phase, state, shown));
      root.dataset.phase = phase;
      publish('neurons', {
        phase,
        state,
        activations: shown?.a.map((layer) => layer.map((v) => v.data)) ?? null,
        cost: phase === 'cost' || phase === 'backward' ? shown?.cost.data : null,
        weightGrads: phase === 'backward' ? shown?.weights.map((l) => l.map((r) => r.map((w) => w.grad))) : null,
        biasGrads: phase === 'backward' ? shown?.biases.map((l) => l.map((b) => b.grad)) : null,
      });
    };

    const onClick = (el: HTMLElement, fn: () => void) => el.addEventListener('click', fn);
    onClick(buttons.forward, () => {
      built = build(network.get());
      phase = 'forward';
      render();
    });
    onClick(buttons.cost, () => {
      phase = 'cost';
      render();
    });
    onClick(buttons.backward, () => {
      built?.cost.backward();
      phase = 'backward';
      render();
    });
    onClick(buttons.update, () => {
      if (built === null) return;
      network.set(sgdStep(network.get(), built, learningRate.get()));
    });
    onClick(buttons.reset, () => network.set(initialState(network.get().sizes)));
    const rebuild = () => {
      const sizes = parseSizes(sizesInput.value);
      if (typeof sizes === 'string') {
        sizesError.textContent = sizes;
        sizesInput.setAttribute('aria-invalid', 'true');
        return;
      }
      sizesError.textContent = '';
      sizesInput.removeAttribute('aria-invalid');
      network.set(initialState(sizes));
    };
    onClick(root.querySelector('#apply-sizes') as HTMLElement, rebuild);
    sizesInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') rebuild();
    });
    lrInput.addEventListener('change', () => {
      const lr = Number(lrInput.value);
      if (Number.isFinite(lr) && lr >= 0) learningRate.set(lr);
      else lrInput.value = String(learningRate.get());
    });

    // A new network (an update, a reset, new sizes, a step in another view) starts a new pass.
    const unsubscribe = network.subscribe((state) => {
      phase = 'start';
      built = null;
      sizesInput.value = state.sizes.join('-');
      render();
    });
    return unsubscribe;
  },
};

function explain(phase: Phase, state: ReturnType<typeof network.get>, built: Built | null): HTMLElement[] {
  const out: HTMLElement[] = [h('h3', {}, 'The numbers')];
  out.push(
    h('div', { class: 'matrix-row' }, h('span', { class: 'math' }, `a${sup(0)} = x =`), matrix(state.input, 'input')),
    h('div', { class: 'matrix-row' }, h('span', { class: 'math' }, 'y ='), matrix(state.target, 'target')),
  );
  if (built === null) {
    out.push(h('p', {}, 'Press “Forward pass” to compute every activation.'));
    return out;
  }
  for (let l = 1; l < state.sizes.length; l++) {
    out.push(
      h('div', { class: 'math' }, `a${sup(l)} = σ(W${sup(l)} a${sup(l - 1)} + b${sup(l)})`),
      h(
        'div',
        { class: 'matrix-row', 'data-layer': l },
        h('span', { class: 'math' }, 'σ('),
        matrix(state.weights[l - 1]!, `W${l}`),
        matrix(
          built.a[l - 1]!.map((v) => v.data),
          `a${l - 1}`,
        ),
        h('span', { class: 'math' }, '+'),
        matrix(state.biases[l - 1]!, `b${l}`),
        h('span', { class: 'math' }, ') = σ('),
        matrix(
          built.z[l - 1]!.map((v) => v.data),
          `z${l}`,
        ),
        h('span', { class: 'math' }, ') ='),
        matrix(
          built.a[l]!.map((v) => v.data),
          `a${l}`,
        ),
      ),
    );
  }
  if (phase === 'cost' || phase === 'backward')
    out.push(
      h(
        'p',
        { class: 'math', id: 'cost' },
        `C = Σⱼ (a${sup(state.sizes.length - 1)}ⱼ − yⱼ)² = `,
        h('strong', { class: 'num', 'data-cost': String(built.cost.data) }, fmt(built.cost.data)),
      ),
    );
  if (phase === 'backward') {
    out.push(h('h3', {}, 'Gradients from backward()'));
    for (let l = 1; l < state.sizes.length; l++)
      out.push(
        h(
          'div',
          { class: 'matrix-row' },
          h('span', { class: 'math' }, `∂C/∂W${sup(l)} =`),
          matrix(
            built.weights[l - 1]!.map((r) => r.map((w) => w.grad)),
            `dW${l}`,
          ),
          h('span', { class: 'math' }, `∂C/∂b${sup(l)} =`),
          matrix(
            built.biases[l - 1]!.map((b) => b.grad),
            `db${l}`,
          ),
        ),
      );
    out.push(h('p', {}, 'Press “SGD update” for w ← w − η ∂C/∂w on every weight and bias.'));
  }
  return out;
}
