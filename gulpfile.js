const { src, dest } = require('gulp');

// tsc compiles the code; n8n also needs the icons (one pair, in shared/icons, for both nodes
// and the credential) and each node's codex file (*.node.json) beside the compiled JavaScript.
function copyAssets() {
	return src(['shared/icons/*.svg', 'nodes/**/*.node.json'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
