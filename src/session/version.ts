/** apical's version, from package.json. */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../kernels/native';

export const version: string = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
