'use strict';

const fs = require('node:fs');
const net = require('node:net');
const { freePort } = require('../scripts/local-n8n');

/**
 * The ports the local n8n instances get: a port the system picks for a listener comes from the
 * range of outgoing connections' ports, where a test beside it could take it before n8n binds it
 * (a CI run's n8n failed with "Task Broker's port … is already in use").
 */
const low = Number(
	fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
);

test('free ports lie below the outgoing range, differ, and can be bound', async () => {
	const ports = [];
	for (let i = 0; i < 20; i++) ports.push(await freePort());
	expect(new Set(ports).size).toBe(20);
	for (const port of ports) {
		expect(port).toBeLessThan(low);
		expect(port).toBeGreaterThanOrEqual(1024);
	}
	const server = net.createServer();
	await new Promise((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
	server.close();
});
