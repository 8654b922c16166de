'use strict';

/**
 * GET /recordings/<callSerialNo>.wav?Expires=<s>&Signature=<…>: the file behind a
 * getRecordingAddress link, served as an object store serves a pre-signed URL: audio/wav with a
 * Content-Length (or chunked, with `recordingChunked`), 403 with an XML error once the link has
 * expired or when its signature does not match, 404 for a call without a recording.
 */
const crypto = require('node:crypto');

/** Signs a recording path and expiry with a per-simulator secret, as an object store would. */
function recordingSignature(sim, serial, expires) {
	sim.recordingSecret ??= crypto.randomBytes(16).toString('hex');
	return crypto
		.createHmac('sha256', sim.recordingSecret)
		.update(`${serial}\n${expires}`)
		.digest('base64url');
}

/** A pre-signed link to a call's recording, valid for `recordingValidMs` from now. */
function recordingUrl(sim, serial) {
	const expires = Math.floor((Date.now() + sim.config.recordingValidMs) / 1000);
	const signature = recordingSignature(sim, serial, expires);
	return `${sim.url}/recordings/${serial}.wav?Expires=${expires}&Signature=${signature}`;
}

/** A WAV file (8 kHz, 16-bit, mono) of `bytes` bytes of sound: a quiet 200 Hz tone. */
function wavFile(bytes) {
	const header = Buffer.alloc(44);
	header.write('RIFF', 0);
	header.writeUInt32LE(36 + bytes, 4);
	header.write('WAVEfmt ', 8);
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(8000, 24);
	header.writeUInt32LE(16000, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36);
	header.writeUInt32LE(bytes, 40);
	// 40 samples: one period of 200 Hz (one period at 8 kHz), repeated.
	const period = Buffer.alloc(80);
	for (let i = 0; i < 40; i++)
		period.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * i) / 40)), i * 2);
	const sound = Buffer.alloc(bytes);
	sound.fill(period);
	return Buffer.concat([header, sound]);
}

function xmlError(res, entry, status, code, message) {
	entry.status = status;
	entry.response = `${code}: ${message}`;
	res.writeHead(status, { 'Content-Type': 'application/xml' });
	res.end(
		'<?xml version="1.0" encoding="UTF-8"?>' +
			`<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
	);
}

module.exports = {
	name: 'recording',
	method: 'GET',
	path: '/recordings',
	pathPattern: /^\/recordings\/\d+\.wav$/,
	recordingUrl,
	wavFile,
	handle({ sim, res, entry, path, query }) {
		const serial = /^\/recordings\/(\d+)\.wav$/.exec(path)[1];
		const expires = Number(query.get('Expires'));
		const signature = query.get('Signature') ?? '';
		const expected = recordingSignature(sim, serial, expires);
		if (signature.length !== expected.length || signature !== expected)
			return xmlError(res, entry, 403, 'SignatureDoesNotMatch', 'The request signature is wrong');
		if (!(Date.now() / 1000 <= expires))
			return xmlError(res, entry, 403, 'AccessDenied', 'Request has expired');
		const call = sim.calls.get(serial);
		if (!call || !call.answered)
			return xmlError(res, entry, 404, 'NoSuchKey', 'The specified key does not exist');
		const file = wavFile(sim.config.recordingBytes);
		entry.status = 200;
		entry.response = `audio/wav, ${file.length} bytes`;
		if (!sim.config.recordingChunked) {
			res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': String(file.length) });
			res.end(file);
			return undefined;
		}
		res.writeHead(200, { 'Content-Type': 'audio/wav' });
		for (let at = 0; at < file.length; at += 65_536) res.write(file.subarray(at, at + 65_536));
		res.end();
		return undefined;
	},
};
