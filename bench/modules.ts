import { readModelBench } from './read-model';
import type { BenchModule } from './table';

/**
 * Other bench modules whose rows join the table of `npm run bench` (same run, same services).
 * Add one line per module, e.g. `import { readModelBench } from './read-model'; ... [readModelBench]`.
 */
export const BENCH_MODULES: BenchModule[] = [readModelBench];
