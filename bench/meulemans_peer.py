"""
Runs one MNIST config of Meulemans et al. (2020)'s reference code (repository
meulemansalex/theoretical_framework_for_target_propagation, fetched, never copied into apical)
unmodified, for a given number of epochs, and writes one JSON line per epoch:
  {"epoch": e, "test_error": %, "valid_error": %, "seconds": wall seconds of that epoch,
   "cpu_seconds": the process's CPU seconds (user + system, every thread) in that epoch}
and in epoch 1's line, when the config has feedback-only pre-training epochs (epochs_fb),
"pretraining_cpu_seconds": the CPU seconds of those. Epoch 1's seconds include the pre-training
epochs; every epoch's include its extra feedback epochs and the evaluation (test and validation
passes), as their train() runs them; start-up and data loading (before their 'Training network')
are in none.

Their code is driven through its own run_config._override_cmd_arg and main.run(); only `epochs`
(and out_dir) are changed in the config dictionary, and the entries the command line names (below). tensorboardX (not packaged in Debian) is
imported by their modules but used only with save_logs, which the configs leave off: a stub module
stands in for it. Their data loader reads ./data/MNIST/raw; the four IDX files are linked there.

usage: python3 bench/meulemans_peer.py PEER_DIR CONFIG EPOCHS OUT_JSONL MNIST_DIR [RANDOM_SEED [KEY=VALUE ...]]
(RANDOM_SEED replaces their configs' random_seed 42, for their seed-to-seed spread; each KEY=VALUE
replaces one more entry of their config, the value read as a Python literal, e.g.
double_precision=False to run their code in float32 as apical computes.)
"""
import ast
import importlib
import json
import os
import sys
import time
import types

peer, config_name, epochs, out_file, mnist = sys.argv[1], sys.argv[2], int(sys.argv[3]), os.path.abspath(sys.argv[4]), os.path.abspath(sys.argv[5])
work = os.path.dirname(out_file)
os.makedirs(os.path.join(work, 'data', 'MNIST', 'raw'), exist_ok=True)
for name in ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']:
    link = os.path.join(work, 'data', 'MNIST', 'raw', name)
    if not os.path.exists(link):
        os.symlink(os.path.join(mnist, name), link)
os.chdir(work)

stub = types.ModuleType('tensorboardX')
stub.SummaryWriter = None
sys.modules['tensorboardX'] = stub
sys.path.insert(0, os.path.abspath(peer))
import matplotlib
matplotlib.use('Agg')
run_config = importlib.import_module('run_config')
main = importlib.import_module('main')
config = dict(importlib.import_module('final_configs.' + config_name).config)
config['epochs'] = epochs
if len(sys.argv) > 6:
    config['random_seed'] = int(sys.argv[6])
for override in sys.argv[7:]:
    key, value = override.split('=', 1)
    if key not in config:
        sys.exit(f'meulemans_peer: {key} is not an entry of their {config_name} config')
    config[key] = ast.literal_eval(value)
config['out_dir'] = os.path.join('logs', config_name)


class Clock:
    """Stamps the lines their code prints: training starts at 'Training network', epochs end at their test accuracy."""

    def __init__(self, stream, out):
        self.stream, self.out, self.pending = stream, out, ''
        self.started = None
        self.cpu_started = None
        self.pretraining = None
        self.valid = None

    def write(self, text):
        self.stream.write(text)
        self.pending += text
        while '\n' in self.pending:
            line, self.pending = self.pending.split('\n', 1)
            self.line(line.strip())

    def line(self, line):
        now, cpu = time.perf_counter(), time.process_time()
        if line.startswith('Training network') or (line.startswith('train') and self.started is None):
            self.started, self.cpu_started = now, cpu
        elif line.startswith('Initialization feedback weights done'):
            self.pretraining = cpu - self.cpu_started
        elif ' -- val acc' in line:
            self.valid = 100 - float(line.split('=')[1].strip().rstrip('%'))
        elif ' -- test acc' in line:
            epoch = int(line.split()[1])
            error = 100 - float(line.split('=')[1].strip().rstrip('%'))
            record = {'epoch': epoch, 'test_error': error, 'valid_error': self.valid, 'seconds': now - self.started, 'cpu_seconds': cpu - self.cpu_started}
            if self.pretraining is not None:
                record['pretraining_cpu_seconds'], self.pretraining = self.pretraining, None
            self.out.write(json.dumps(record) + '\n')
            self.out.flush()
            self.started, self.cpu_started = now, cpu

    def flush(self):
        self.stream.flush()


with open(out_file, 'w') as out:
    sys.stdout = Clock(sys.stdout, out)
    run_config._override_cmd_arg(config)
    main.run()
    sys.stdout = sys.stdout.stream
