/**
 * What an experiment file's `record` section switches on (all off by default, so a plain run pays
 * nothing):
 *
 *   "record": {
 *     "activity": { "populations": ["h1", "h4"], "units": 16, "examples": 2, "every": 50 },
 *     "weights": { "bins": 40 },
 *     "reconstructions": { "examples": 6, "every": 1 }
 *   }
 *
 * - activity: every `every`-th training step of the forward phase, the activity h, the top-down
 *   signal and the target ĥ of the first `units` units of the first `examples` rows of the
 *   minibatch, for each named hidden population (default: all);
 * - weights: after every epoch, statistics and `bins`-bin histograms of every weight matrix and of
 *   its change over the epoch;
 * - reconstructions: every `every` epochs, `examples` validation images and what each population's
 *   activity decodes back to through the learned decoders (this adds a decoder g_1 to the input,
 *   trained like the others; it sends no target, so training is unchanged);
 * - trial (spiking populations only): at the end of the run, one trial of the first test image the
 *   trained network misclassifies, recorded into trial/ and trial.html, tracing the membrane of the
 *   `traces` neurons per population whose targets lie farthest from their forward rates
 *   (record/spiking-trial.ts).
 */
export interface RecordSpec {
  readonly activity?: { readonly populations?: readonly string[]; readonly units?: number; readonly examples?: number; readonly every?: number };
  readonly weights?: { readonly bins?: number };
  readonly reconstructions?: { readonly examples?: number; readonly every?: number };
  readonly trial?: { readonly traces: number };
}

const positive = { type: 'integer', minimum: 1 } as const;

export const recordSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    activity: {
      type: 'object',
      additionalProperties: false,
      properties: {
        populations: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^h[0-9]+$' } },
        units: positive,
        examples: positive,
        every: positive,
      },
    },
    weights: { type: 'object', additionalProperties: false, properties: { bins: { type: 'integer', minimum: 2, maximum: 1000 } } },
    reconstructions: { type: 'object', additionalProperties: false, properties: { examples: { type: 'integer', minimum: 1, maximum: 64 }, every: positive } },
  },
} as const;
