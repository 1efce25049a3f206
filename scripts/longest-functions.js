#!/usr/bin/env node
// The longest functions and methods of src/ (lines from declaration to closing brace), for the
// house's before-and-after in issue notes: `node scripts/longest-functions.js [N] [DIR]`.
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const count = Number(process.argv[2] ?? 10);
const root = path.resolve(process.argv[3] ?? 'src');
const rows = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (file.endsWith('.ts') && !file.endsWith('.d.ts')) measure(file);
  }
};
const measure = (file) => {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body && (node.name || ts.isConstructorDeclaration(node) || ts.isArrowFunction(node.parent) || ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent))) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const owner = node.name ?? node.parent.name;
      const klass = ts.isClassLike(node.parent) && node.parent.name ? `${node.parent.name.text}.` : '';
      const name = ts.isConstructorDeclaration(node) ? `${klass}constructor` : owner ? `${klass}${owner.getText(source)}` : '(anonymous)';
      if (!ts.isArrowFunction(node) || ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent)) {
        rows.push({ lines: end - start + 1, where: `${path.relative(process.cwd(), file)}:${start + 1}`, name });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
};
walk(root);
rows.sort((a, b) => b.lines - a.lines);
for (const row of rows.slice(0, count)) console.log(`${String(row.lines).padStart(4)}  ${row.name}  (${row.where})`);
