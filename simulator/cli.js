#!/usr/bin/env node
'use strict';

/** Starts the AICC simulator: `npm run simulator -- --port 8089 [--latency 20] [--ita]`. */
const { createSimulator, describeCallback } = require('./index');

function argument(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : process.argv[index + 1];
}

async function main() {
	const port = Number(argument('port', process.env.AICC_SIM_PORT ?? 8089));
	const sim = createSimulator({
		port,
		appKey: argument('app-key', process.env.AICC_SIM_APP_KEY ?? 'sim-app-key'),
		appSecret: argument('app-secret', process.env.AICC_SIM_APP_SECRET ?? 'sim-app-secret'),
		latencyMs: Number(argument('latency', 0)),
		backEnd: process.argv.includes('--ita') ? 'ita' : 'aicc',
		onCallback: (record) => console.log(describeCallback(record)),
	});
	try {
		await sim.start();
	} catch (error) {
		if (error.code === 'EADDRINUSE') {
			console.error(
				`Port ${port} is taken. Start the simulator on another one:` +
					' npm run simulator -- --port 8090',
			);
			process.exit(1);
		}
		throw error;
	}
	console.log(`AICC simulator listening on ${sim.url}`);
	console.log(`  Base URL:   ${sim.url}`);
	console.log(`  App Key:    ${sim.config.appKey}`);
	console.log(`  App Secret: ${sim.config.appSecret}`);
	console.log(`  Back end:   ${sim.config.backEnd}; scenario controls: POST ${sim.url}/__sim`);
	const stop = () => sim.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
