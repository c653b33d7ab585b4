// Both engines behind one call: runs the function in node's vm and in QuickJS and checks they agree.
import assert from 'node:assert/strict';
import { runNode } from './node-runner.mjs';
import { runQuickJS } from './quickjs-runner.mjs';
import { lintCloudFrontJs } from './lint.mjs';

export const ENGINES = { node: runNode, quickjs: runQuickJS };

/** Runs in both engines; asserts identical results; returns the node result. */
export async function runBoth(code, event, opts = {}) {
  assert.deepEqual(lintCloudFrontJs(code), [], 'code the CloudFront runtime would refuse');
  const n = await runNode(code, event, opts);
  const q = await runQuickJS(code, event, opts);
  assert.deepEqual(q.result, n.result, 'node and QuickJS disagree');
  assert.deepEqual(q.logs, n.logs);
  assert.deepEqual(q.kvsMisses, n.kvsMisses, 'node and QuickJS read different KVS keys');
  return n;
}
