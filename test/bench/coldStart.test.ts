// Which files of a split bundle a function loads at cold start and which on demand (bench/coldStart.ts).
import { describe, expect, it } from 'vitest';
import { reachableChunks } from '../../bench/coldStart.js';

const files = (entries: Record<string, string>): Map<string, Buffer> =>
  new Map(Object.entries(entries).map(([name, text]) => [name, Buffer.from(text)]));

describe('reachableChunks', () => {
  it('follows static imports for init and import() for later, in minified esbuild output', () => {
    const zip = files({
      'functions/flinkEvents.mjs': 'import{a as b}from"./chunk-A.mjs";import"./chunk-B.mjs";import{S as c}from"@aws-sdk/client-sqs";var l=()=>import("./ssm-C.mjs");',
      'functions/chunk-A.mjs': 'import"./chunk-B.mjs";export const a=1;',
      'functions/chunk-B.mjs': 'export const z=2;',
      'functions/ssm-C.mjs': 'import{x}from"./chunk-D.mjs";import{SSMClient}from"@aws-sdk/client-ssm";',
      'functions/chunk-D.mjs': 'export const x=3;',
      'functions/registerTypes-chunk.mjs': 'export const other=4;',
    });
    const { init, lazy } = reachableChunks(zip, 'functions/flinkEvents.mjs');
    expect(init.sort()).toEqual(['functions/chunk-A.mjs', 'functions/chunk-B.mjs', 'functions/flinkEvents.mjs']);
    expect(lazy.sort()).toEqual(['functions/chunk-D.mjs', 'functions/ssm-C.mjs']);
  });

  it('counts a chunk once, as init, when it is imported both ways', () => {
    const zip = files({
      'f.mjs': 'import"./shared.mjs";const l=()=>import("./lazy.mjs");',
      'lazy.mjs': 'import"./shared.mjs";',
      'shared.mjs': '',
    });
    expect(reachableChunks(zip, 'f.mjs')).toEqual({ init: ['f.mjs', 'shared.mjs'], lazy: ['lazy.mjs'] });
  });
});
