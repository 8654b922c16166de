const { src, dest } = require('gulp');

// tsc compiles the code; n8n also needs each node's and credential's icons and
// the node's codex file (*.node.json) next to the compiled JavaScript.
function copyAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
