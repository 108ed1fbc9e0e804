/**
 * Every initializer in one namespace, PyTorch's `torch.nn.init` without the
 * trailing underscores: `init.kaimingUniform(w)`, `init.eye(w)`. The package
 * exports this as `init`; `zeros`, `ones` and `eye` are only here, since the
 * bare names are core's tensor constructors.
 *
 * @module init
 */
export * from '../init';
export * from './structured';
export * from './trunc-normal';
