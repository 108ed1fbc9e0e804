/**
 * The network every view of the textbook shares: steps taken in one view show
 * in the others. nanostores keeps the state and tells subscribers.
 */
import { atom } from 'nanostores';
import { initialState, type NetworkState } from './network';

/** The current network's numbers. */
export const network = atom<NetworkState>(initialState());

/** The learning rate η of the SGD step the views share. */
export const learningRate = atom<number>(0.5);
