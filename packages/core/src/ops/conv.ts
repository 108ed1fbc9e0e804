/**
 * Convolutions, PyTorch's torch.nn.functional.conv1d/2d/3d and
 * conv_transpose1d/2d/3d, channels first.
 */
import { unfoldOps } from './unfold';

/**
 * The convolution family's table: its primitives (unfold, fold). Tests reach
 * every row through it.
 */
export const convOps = { ...unfoldOps };
