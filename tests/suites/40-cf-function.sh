#!/usr/bin/env bash
# CloudFront Function generation: runs the functions `pocket-sign cf-function` generates in node
# (vm context with only CloudFront Functions' globals and modules) and in QuickJS
# (quickjs-emscripten), against the gate / redirect / basic-auth / API cases and every pocket.toml
# fixture. Tokens come from `pocket-sign token issue` when the CLI has it, else from the Python
# stdlib reimplementation in tests/cfunction/tools/spa_token.py.
source "$(dirname "$0")/../lib/common.sh"
cd "$ROOT"

command -v node >/dev/null 2>&1 || apt_install nodejs
command -v npm >/dev/null 2>&1 || apt_install npm
command -v python3 >/dev/null 2>&1 || apt_install python3

build_cli
npm_install tests/cfunction

cd tests/cfunction
# vm.SourceTextModule (ES module loading like the CloudFront runtime) needs this flag.
NODE_OPTIONS="--experimental-vm-modules --no-warnings" node --test test/*.test.mjs
