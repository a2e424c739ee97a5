import { configRule } from './config-rule';

/** Item 15: no self-update of the pinned image. */
export const configUpdate = configRule('update');
