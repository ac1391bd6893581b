import type { Clock } from '../services/ports';

export const systemClock: Clock = { now: () => new Date() };
