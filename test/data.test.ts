import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { readIdx, resolveIdxFile, parseIdx } from '../src/data/idx';
import { loadMnist, defaultMnistDir, MNIST_FILES, MnistSplits } from '../src/data/mnist';
import { subset } from '../src/data/dataset';
import { expectDataError } from './helpers';

/** Build an IDX file: magic 0x0000TTDD, DD big-endian uint32 dims, then the bytes. */
function idx(dims: number[], data: ArrayLike<number>, type = 0x08): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(Array.from(data))]);
}

function bytes(n: number, f: (i: number) => number = (i) => i % 256): number[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/** Write a tiny but valid MNIST directory: `nTrain` training and `nTest` test examples. */
function writeTinyMnist(dir: string, nTrain = 5, nTest = 3): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MNIST_FILES.trainImages), idx([nTrain, 28, 28], bytes(nTrain * 784)));
  fs.writeFileSync(path.join(dir, MNIST_FILES.trainLabels), idx([nTrain], bytes(nTrain, (i) => i % 10)));
  fs.writeFileSync(path.join(dir, MNIST_FILES.testImages), idx([nTest, 28, 28], bytes(nTest * 784)));
  fs.writeFileSync(path.join(dir, MNIST_FILES.testLabels), idx([nTest], bytes(nTest, (i) => (i * 3) % 10)));
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  ) === 0;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-data-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('real MNIST', () => {
  let mnist: MnistSplits;
  beforeAll(() => {
    mnist = loadMnist({});
  });

  test('split sizes follow Lee et al. (2015): 50000 / 10000 / 10000', () => {
    expect(mnist.train.count).toBe(50000);
    expect(mnist.valid.count).toBe(10000);
    expect(mnist.test.count).toBe(10000);
    for (const d of [mnist.train, mnist.valid, mnist.test]) {
      expect(d.features).toBe(784);
      expect(d.classes).toBe(10);
      expect(d.images).toBeInstanceOf(Float32Array);
      expect(d.labels).toBeInstanceOf(Int32Array);
      expect(d.images.length).toBe(d.count * 784);
      expect(d.labels.length).toBe(d.count);
    }
    expect(new Set([mnist.train.name, mnist.valid.name, mnist.test.name]).size).toBe(3);
  });

  test('first training labels are 5,0,4,1,9,2,1,3,1,4', () => {
    expect(Array.from(mnist.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(mnist.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  test('pixels lie in [0, 1] and reach both ends; labels in 0..9', () => {
    for (const d of [mnist.train, mnist.valid, mnist.test]) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < d.images.length; i++) {
        const v = d.images[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      expect(lo).toBe(0);
      expect(hi).toBe(1);
      expect(Math.min(...d.labels)).toBe(0);
      expect(Math.max(...d.labels)).toBe(9);
    }
  });

  test('validation split is training images 50000..59999 scaled by 1/255', () => {
    const raw = readIdx(path.join(defaultMnistDir(), MNIST_FILES.trainImages));
    expect(raw.dims).toEqual([60000, 28, 28]);
    const off = 50000 * 784;
    for (const i of [0, 1234, 5000 * 784 + 400, 10000 * 784 - 1]) {
      expect(mnist.valid.images[i]).toBe(Math.fround(raw.data[off + i] / 255));
    }
    const labels = readIdx(path.join(defaultMnistDir(), MNIST_FILES.trainLabels));
    expect(Array.from(mnist.valid.labels.subarray(0, 20))).toEqual(Array.from(labels.data.subarray(50000, 50020)));
  });

  test('subset gives views of the first examples without copying', () => {
    const s = subset(mnist.train, 2000);
    expect(s.count).toBe(2000);
    expect(s.images.length).toBe(2000 * 784);
    expect(s.images.buffer).toBe(mnist.train.images.buffer);
    expect(s.labels.buffer).toBe(mnist.train.labels.buffer);
    expect(Array.from(s.labels.subarray(0, 3))).toEqual([5, 0, 4]);
    expect(() => subset(mnist.train, 50001)).toThrow(RangeError);
    expect(() => subset(mnist.train, 1.5)).toThrow(RangeError);
  });

  test('gzip-compressed copy in a tmp dir loads identically (trainLimit + validation options too)', () => {
    const gzDir = path.join(tmp, 'gz');
    fs.mkdirSync(gzDir);
    for (const name of Object.values(MNIST_FILES)) {
      const raw = fs.readFileSync(path.join(defaultMnistDir(), name));
      fs.writeFileSync(path.join(gzDir, name + '.gz'), zlib.gzipSync(raw, { level: 1 }));
    }
    const gz = loadMnist({ dir: gzDir, trainLimit: 2000 });
    expect(gz.train.count).toBe(2000);
    expect(gz.valid.count).toBe(10000);
    expect(gz.test.count).toBe(10000);
    const ref = subset(mnist.train, 2000);
    expect(sameBytes(gz.train.images, ref.images)).toBe(true);
    expect(sameBytes(gz.train.labels, ref.labels)).toBe(true);
    expect(sameBytes(gz.valid.images, mnist.valid.images)).toBe(true);
    expect(sameBytes(gz.valid.labels, mnist.valid.labels)).toBe(true);
    expect(sameBytes(gz.test.images, mnist.test.images)).toBe(true);
    expect(sameBytes(gz.test.labels, mnist.test.labels)).toBe(true);

    const v = loadMnist({ dir: gzDir, validation: 5000, trainLimit: 10 });
    expect(v.train.count).toBe(10);
    expect(v.valid.count).toBe(5000);
    expect(Array.from(v.valid.labels.subarray(0, 10))).toEqual(
      Array.from(readIdx(path.join(gzDir, MNIST_FILES.trainLabels)).data.subarray(55000, 55010)),
    );
  });
});

describe('readIdx', () => {
  test('reads raw IDX and detects gzip by magic bytes, not extension', () => {
    const buf = idx([2, 3], [1, 2, 3, 4, 5, 6]);
    const rawFile = path.join(tmp, 'raw.bin');
    const gzNoExt = path.join(tmp, 'compressed.bin');
    const rawNamedGz = path.join(tmp, 'plain.gz');
    fs.writeFileSync(rawFile, buf);
    fs.writeFileSync(gzNoExt, zlib.gzipSync(buf));
    fs.writeFileSync(rawNamedGz, buf);
    for (const f of [rawFile, gzNoExt, rawNamedGz]) {
      const a = readIdx(f);
      expect(a.dims).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
    expect(parseIdx(zlib.gzipSync(buf), 'mem').dims).toEqual([2, 3]);
  });

  test('falls back to name.gz when only the compressed file exists', () => {
    const dir = path.join(tmp, 'fallback');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'only.gz'), zlib.gzipSync(idx([3], [7, 8, 9])));
    expect(resolveIdxFile(dir, 'only')).toBe(path.join(dir, 'only.gz'));
    expect(Array.from(readIdx(path.join(dir, 'only')).data)).toEqual([7, 8, 9]);
    fs.writeFileSync(path.join(dir, 'both'), idx([1], [1]));
    fs.writeFileSync(path.join(dir, 'both.gz'), zlib.gzipSync(idx([1], [2])));
    expect(resolveIdxFile(dir, 'both')).toBe(path.join(dir, 'both'));
  });
});

describe('faults give one-line DataErrors naming the file', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => {
    dir = path.join(tmp, `fault-${n++}`);
    writeTinyMnist(dir);
  });
  const file = (name: string) => path.join(dir, name);

  test('tiny valid directory loads', () => {
    const m = loadMnist({ dir, validation: 2 });
    expect([m.train.count, m.valid.count, m.test.count]).toEqual([3, 2, 3]);
    expect(m.train.images[1]).toBeCloseTo(1 / 255, 7);
    expect(Array.from(m.valid.labels)).toEqual([3, 4]);
  });

  test('missing file', () => {
    const f = file(MNIST_FILES.testLabels);
    fs.unlinkSync(f);
    expectDataError(() => loadMnist({ dir, validation: 2 }), f, f + '.gz', /missing/);
    expectDataError(() => resolveIdxFile(dir, MNIST_FILES.testLabels), f, f + '.gz');
    expectDataError(() => readIdx(f), f, /missing/);
  });

  test('file too short for its header', () => {
    const f = file(MNIST_FILES.trainLabels);
    fs.writeFileSync(f, Buffer.from([0, 0, 8]));
    expectDataError(() => loadMnist({ dir, validation: 2 }), f, /too short/, /3 bytes/);
    // magic is fine but the dims are cut off
    fs.writeFileSync(f, Buffer.from([0, 0, 8, 3, 0, 0, 0, 5, 0, 0]));
    expectDataError(() => readIdx(f), f, /too short/, /needs 16/);
  });

  test('wrong magic: nonzero leading bytes', () => {
    const f = file(MNIST_FILES.trainImages);
    const buf = idx([5, 28, 28], bytes(5 * 784));
    buf[1] = 0x0a;
    fs.writeFileSync(f, buf);
    expectDataError(() => loadMnist({ dir, validation: 2 }), f, /magic/, '0x000a0803', /expected/);
  });

  test('wrong magic: unsupported element type', () => {
    const f = file(MNIST_FILES.testImages);
    fs.writeFileSync(f, idx([3, 28, 28], bytes(3 * 784 * 4), 0x0d));
    expectDataError(() => loadMnist({ dir, validation: 2 }), f, '0x00000d03', /float32/, /0x08/);
    fs.writeFileSync(f, idx([3, 28, 28], bytes(3 * 784), 0x0a));
    expectDataError(() => readIdx(f), f, '0x00000a03', /unknown element type 0x0a/);
  });

  test('truncated data', () => {
    const f = file(MNIST_FILES.trainImages);
    fs.writeFileSync(f, idx([5, 28, 28], bytes(5 * 784 - 100)));
    expectDataError(() => loadMnist({ dir, validation: 2 }), f, /truncated/, /3920 bytes/, /3820/);
  });

  test('label/image count mismatch names both files and counts', () => {
    const labels = file(MNIST_FILES.trainLabels);
    fs.writeFileSync(labels, idx([4], [1, 2, 3, 4]));
    expectDataError(
      () => loadMnist({ dir, validation: 2 }),
      labels,
      file(MNIST_FILES.trainImages),
      /4 labels/,
      /5 images/,
    );
  });

  test('label out of range names file, index and value', () => {
    const f = file(MNIST_FILES.testLabels);
    fs.writeFileSync(f, idx([3], [1, 12, 3]));
    expectDataError(() => loadMnist({ dir, validation: 2 }), f, /index 1/, /is 12/);
  });

  test('corrupt gzip', () => {
    const f = file(MNIST_FILES.trainLabels);
    fs.unlinkSync(f);
    const gz = zlib.gzipSync(idx([5], [0, 1, 2, 3, 4]));
    const bad = Buffer.from(gz);
    bad.fill(0xff, 10, bad.length - 8); // keep the 1f 8b header, mangle the deflate stream
    fs.writeFileSync(f + '.gz', bad);
    expectDataError(() => loadMnist({ dir, validation: 2 }), f + '.gz', /corrupt gzip/);
    fs.writeFileSync(f + '.gz', gz.subarray(0, gz.length - 6)); // truncated gzip stream
    expectDataError(() => readIdx(f + '.gz'), f + '.gz', /corrupt gzip/);
  });

  test('validation that leaves no training data', () => {
    expectDataError(() => loadMnist({ dir, validation: 5 }), /no training data/, file(MNIST_FILES.trainLabels));
  });
});
