/** End-to-end tests in a real n8n (2.x and 1.x), installed on first use into .n8n-local/. */
module.exports = {
	testEnvironment: 'node',
	testTimeout: 120_000,
	roots: ['<rootDir>/test-e2e'],
};
