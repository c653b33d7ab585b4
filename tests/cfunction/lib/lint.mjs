// Static checks for what the CloudFront Functions runtime 2.0 refuses but node and QuickJS accept
// (AWS: "JavaScript runtime 2.0 features"): code size at most 10 KB; `await` only inside async
// function declarations, and no async arrows or async closures; imports only of 'crypto' and
// 'cloudfront', on the first lines; console.log with one argument is checked at run time.
export const MAX_SIZE = 10 * 1024;

export function lintCloudFrontJs(code) {
  const problems = [];
  const size = Buffer.byteLength(code, 'utf8');
  if (size > MAX_SIZE) problems.push(`code is ${size} bytes, over the 10 KB limit`);
  if (/async\s*\(/.test(code) || /async\s+[A-Za-z_$][\w$]*\s*=>/.test(code)) problems.push('async arrow function');
  if (/=\s*async\s+function/.test(code) || /\(\s*async\s+function/.test(code)) problems.push('async function expression (closure)');
  const lines = code.split('\n');
  let body = false;
  for (const line of lines) {
    if (/^\s*import\s/.test(line)) {
      if (body) problems.push(`import after code: ${line}`);
      if (!/^import [A-Za-z_$][\w$]* from '(crypto|cloudfront)';$/.test(line)) problems.push(`unsupported import: ${line}`);
    } else if (line.trim() !== '' && !line.trim().startsWith('//')) {
      body = true;
    }
  }
  // Every `await` must sit inside an `async function` declaration's body.
  const asyncDecl = [...code.matchAll(/async function ([A-Za-z_$][\w$]*)\s*\(/g)];
  if ([...code.matchAll(/\bawait\b/g)].length > 0 && asyncDecl.length === 0) problems.push('await outside an async function');
  if (/\brequire\s*\(/.test(code)) problems.push('require() (use import)');
  return problems;
}
