"""Where a deep sign network trained by dtp-st breaks down: per epoch, the training error, and for the
bottom, middle and next-to-top hidden layers the median over the epoch's alignment probes of the
target's size (target_rms: the rms of ĥ − h) and of the angle between the target direction and the
straight-through gradient (target_angle_st, degrees), with the decoders' reconstruction errors
(reconstruction_error) at the bottom and the top. From the committed metrics.jsonl files only:

  python3 results/depth-sweep-full/diagnose.py results/depth-sweep-full/probes-d16/sign-growth1.2 ...
"""
import json
import math
import sys


def median(values):
    values = sorted(v for v in values if isinstance(v, (int, float)) and not math.isnan(v))
    return values[len(values) // 2] if values else float('nan')


for run in sys.argv[1:]:
    epochs = [json.loads(line) for line in open(f'{run}/metrics.jsonl')]
    depth = len(epochs[0]['reconstruction_error']) + 1
    layers = [1, depth // 2, depth - 1]
    decoders = [f'g2', f'g{depth}']
    print(f'\n{run} (depth {depth})\n')
    print('| epoch | train % | ' + ' | '.join(f'rms(ĥ−h) h{l}' for l in layers) + ' | '
          + ' | '.join(f'∠ ST h{l} °' for l in layers) + ' | ' + ' | '.join(f'rec {g}' for g in decoders) + ' |')
    print('|' + '---|' * (2 + 2 * len(layers) + len(decoders)))
    for e in epochs:
        probes = e.get('alignment', [])
        rms = [median(p['target_rms'].get(f'h{l}') for p in probes) for l in layers]
        angle = [median(p['target_angle_st'].get(f'h{l}') for p in probes) for l in layers]
        rec = [e['reconstruction_error'][g] for g in decoders]
        print(f"| {e['epoch']} | {100 * e['train_error']:.2f} | " + ' | '.join(f'{r:.1e}' for r in rms) + ' | '
              + ' | '.join(f'{a:.0f}' for a in angle) + ' | ' + ' | '.join(f'{r:.1f}' for r in rec) + ' |')
