/** Tests run against the built package (npm test builds first), as n8n would load it. */
module.exports = {
	testEnvironment: 'node',
	testTimeout: 30000,
	roots: ['<rootDir>/test'],
	setupFiles: ['<rootDir>/test/capture-logs.js'],
};
