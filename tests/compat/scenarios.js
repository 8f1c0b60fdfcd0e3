// The official Azure IoT DPS Node SDKs against dpsemu: each scenario makes
// the SDK calls a program written for Azure would make, and checks what the
// SDK hands back (fields, status codes, error codes), so that a difference
// between dpsemu and the service shows up as a failed scenario.
//
// Run by tests/compat/run.sh (`make compat`), which starts dpsemu on
// 127.0.0.1:443 and sets COMPAT_DATA to its data folder. Arguments: scenario
// names to run (default: all). Prints one line per scenario, then
// "compat: N of M scenarios passed"; exits 1 when one failed.
'use strict';

const fs = require('fs');
const path = require('path');
const { ProvisioningServiceClient } = require('azure-iot-provisioning-service');
const { ProvisioningDeviceClient } = require('azure-iot-provisioning-device');
const { Http } = require('azure-iot-provisioning-device-http');
const { SymmetricKeySecurityClient } = require('azure-iot-security-symmetric-key');

const DATA = process.env.COMPAT_DATA;
const HOST = process.env.COMPAT_HOST || '127.0.0.1';
// A bound on each scenario, so that a request dpsemu never answers fails
// that scenario instead of hanging the suite.
const SCENARIO_LIMIT_MS = 60000;
const RUN = Date.now().toString(36);
// The hubs run.sh links to dpsemu (--linked-hubs).
const HUBS = (process.env.COMPAT_HUBS || '').split(',').filter(Boolean);

function readData(name) {
	return fs.readFileSync(path.join(DATA, name), 'utf8').trim();
}

// dpsemu's connection string with its HostName set to the host dialled.
function connectionString() {
	return readData('connection-string').split(';')
		.map((p) => (/^hostname=/i.test(p) ? 'HostName=' + HOST : p))
		.join(';');
}

const service = () => ProvisioningServiceClient.fromConnectionString(connectionString());

function fail(what) {
	throw new Error(what);
}

function eq(actual, expected, what) {
	if (actual !== expected)
		fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// For keys: says which differs without printing either.
function sameSecret(actual, expected, what) {
	if (typeof actual !== 'string' || actual !== expected)
		fail(`${what}: not the key expected`);
}

function ok(cond, what) {
	if (!cond)
		fail(what);
}

function id(tag) {
	return `compat-${RUN}-${tag}`;
}

function symmetricEnrollment(registrationId) {
	return { registrationId, attestation: { type: 'symmetricKey' } };
}

// The call must fail with this HTTP status and errorCode; returns the error.
async function expectError(promise, status, errorCode, what) {
	let err;
	try {
		await promise;
	} catch (e) {
		err = e;
	}
	if (!err)
		fail(`${what}: expected HTTP ${status}, the call succeeded`);
	if (!err.response)
		fail(`${what}: expected HTTP ${status}, got ${err.name}: ${err.message}`);
	eq(err.response.statusCode, status, `${what}: HTTP status`);
	let body;
	try {
		body = JSON.parse(err.responseBody);
	} catch (e) {
		fail(`${what}: error body is not JSON: ${err.responseBody}`);
	}
	eq(body.errorCode, errorCode, `${what}: errorCode`);
	ok(typeof body.message === 'string' && body.message.length > 0,
		`${what}: the error has a message`);
	ok(/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(body.trackingId),
		`${what}: a GUID trackingId (got ${JSON.stringify(body.trackingId)})`);
	ok(!Number.isNaN(Date.parse(body.timestampUtc)), `${what}: a timestampUtc`);
	return err;
}

async function create(svc, registrationId) {
	const r = await svc.createOrUpdateIndividualEnrollment(symmetricEnrollment(registrationId));
	eq(r.httpResponse.statusCode, 200, `create ${registrationId}: HTTP status`);
	return r.responseBody;
}

async function expectGone(svc, registrationId, what) {
	await expectError(svc.getIndividualEnrollment(registrationId), 404, 404201, what);
}

async function register(registrationId, key, payload) {
	const security = new SymmetricKeySecurityClient(registrationId, key);
	const device = ProvisioningDeviceClient.create(HOST, readData('id-scope'), new Http(), security);
	if (payload)
		device.setProvisioningPayload(payload);
	return device.register();
}

// An enrollment and a device that has registered with it.
async function registered(svc, registrationId) {
	const created = await create(svc, registrationId);
	const result = await register(registrationId, created.attestation.symmetricKey.primaryKey);
	eq(result.status, 'assigned', 'device registration status');
	return result;
}

const scenarios = {};

scenarios['create'] = async (svc) => {
	const rid = id('create');
	const r = await svc.createOrUpdateIndividualEnrollment(symmetricEnrollment(rid));
	eq(r.httpResponse.statusCode, 200, 'HTTP status');
	const e = r.responseBody;
	eq(e.registrationId, rid, 'registrationId');
	eq(e.attestation.type, 'symmetricKey', 'attestation.type');
	for (const k of ['primaryKey', 'secondaryKey'])
		eq(Buffer.from(e.attestation.symmetricKey[k], 'base64').length, 64,
			`generated ${k} length in bytes`);
	ok(/^".+"$/.test(Buffer.from(e.etag || '', 'base64').toString()),
		`the etag is base64 of a quoted stamp (got ${JSON.stringify(e.etag)})`);
	ok(/^application\/json/.test(r.httpResponse.headers['content-type']), 'a JSON answer');
	eq(e.provisioningStatus, 'enabled', 'provisioningStatus');
	ok(!Number.isNaN(Date.parse(e.createdDateTimeUtc)), 'createdDateTimeUtc is a date');
	eq(e.registrationState, undefined, 'registrationState in the PUT answer');
	await expectError(svc.createOrUpdateIndividualEnrollment(symmetricEnrollment(rid)),
		409, 409201, 'the same id again without an etag');
};

scenarios['get'] = async (svc) => {
	const rid = id('get');
	const created = await create(svc, rid);
	const r = await svc.getIndividualEnrollment(rid);
	eq(r.httpResponse.statusCode, 200, 'HTTP status');
	const e = r.responseBody;
	eq(e.registrationId, rid, 'registrationId');
	eq(e.etag, created.etag, 'etag unchanged since the PUT');
	eq(e.attestation.type, 'symmetricKey', 'attestation.type');
	ok(e.attestation.symmetricKey === undefined, 'keys hidden on GET');
	eq(e.registrationState && e.registrationState.status, 'unassigned',
		'registrationState.status before any device registered');
	await expectGone(svc, id('get-absent'), 'an id never created');
};

scenarios['update-with-etag'] = async (svc) => {
	const rid = id('update');
	const created = await create(svc, rid);
	const e = (await svc.getIndividualEnrollment(rid)).responseBody;
	e.provisioningStatus = 'disabled';
	e.initialTwin = { tags: { bench: 'compat' }, properties: { desired: {} } };
	const r = await svc.createOrUpdateIndividualEnrollment(e);
	eq(r.httpResponse.statusCode, 200, 'HTTP status');
	eq(r.responseBody.provisioningStatus, 'disabled', 'provisioningStatus in the answer');
	ok(r.responseBody.etag && r.responseBody.etag !== created.etag, 'a new etag');
	eq(r.responseBody.createdDateTimeUtc, created.createdDateTimeUtc, 'createdDateTimeUtc kept');
	const after = (await svc.getIndividualEnrollment(rid)).responseBody;
	eq(after.provisioningStatus, 'disabled', 'provisioningStatus read back');
	eq(after.initialTwin.tags.bench, 'compat', 'initialTwin.tags read back');
	eq(after.etag, r.responseBody.etag, 'etag read back');
};

scenarios['update-stale-etag'] = async (svc) => {
	const rid = id('stale');
	const created = await create(svc, rid);
	const first = (await svc.getIndividualEnrollment(rid)).responseBody;
	first.provisioningStatus = 'disabled';
	await svc.createOrUpdateIndividualEnrollment(first);
	const stale = { ...symmetricEnrollment(rid), etag: created.etag, provisioningStatus: 'enabled' };
	await expectError(svc.createOrUpdateIndividualEnrollment(stale), 412, 412001,
		'PUT with the etag of an older version');
	const after = (await svc.getIndividualEnrollment(rid)).responseBody;
	eq(after.provisioningStatus, 'disabled', 'the newer version is kept');
};

scenarios['delete-by-id'] = async (svc) => {
	const rid = id('delete-id');
	await create(svc, rid);
	await svc.deleteIndividualEnrollment(rid);
	await expectGone(svc, rid, 'GET after the delete');
	await expectError(svc.deleteIndividualEnrollment(rid), 404, 404201, 'deleting it again');
};

scenarios['delete-by-object'] = async (svc) => {
	const rid = id('delete-obj');
	const created = await create(svc, rid);
	const current = (await svc.getIndividualEnrollment(rid)).responseBody;
	current.provisioningStatus = 'disabled';
	const updated = (await svc.createOrUpdateIndividualEnrollment(current)).responseBody;
	await expectError(svc.deleteIndividualEnrollment(created), 412, 412001,
		'delete of an object with an older etag');
	eq((await svc.getIndividualEnrollment(rid)).responseBody.etag, updated.etag,
		'still there after the refused delete');
	await svc.deleteIndividualEnrollment(updated);
	await expectGone(svc, rid, 'GET after the delete');
};

scenarios['attestation-mechanism'] = async (svc) => {
	const rid = id('attest');
	const created = await create(svc, rid);
	const r = await svc.getIndividualEnrollmentAttestationMechanism(rid);
	eq(r.httpResponse.statusCode, 200, 'HTTP status');
	eq(r.responseBody.type, 'symmetricKey', 'type');
	sameSecret(r.responseBody.symmetricKey.primaryKey,
		created.attestation.symmetricKey.primaryKey, 'primaryKey');
	sameSecret(r.responseBody.symmetricKey.secondaryKey,
		created.attestation.symmetricKey.secondaryKey, 'secondaryKey');
	await expectError(svc.getIndividualEnrollmentAttestationMechanism(id('attest-absent')),
		404, 404201, 'an id never created');
};

// The SDK's runBulkEnrollmentOperation settles its promise only when given
// a callback as well, so it is called the callback way.
function bulk(svc, operation) {
	return new Promise((resolve, reject) => {
		svc.runBulkEnrollmentOperation(operation, (err, result, response) => {
			if (err)
				reject(err);
			else
				resolve({ responseBody: result, httpResponse: response });
		});
	});
}

// An etag of the right shape that no record has.
function staleEtag(etag) {
	const other = Buffer.from('"00000000-0000-0000-0000-000000000000"').toString('base64');
	return other === etag ? Buffer.from('"1"').toString('base64') : other;
}

function bulkIds(tag, n) {
	return Array.from({ length: n }, (_, i) => id(`${tag}-${i}`));
}

function checkBulk(r, failedIds, errorCode, what) {
	eq(r.httpResponse.statusCode, 200, `${what}: HTTP status`);
	const res = r.responseBody;
	eq(res.isSuccessful, failedIds.length === 0, `${what}: isSuccessful`);
	eq(res.errors.length, failedIds.length, `${what}: number of errors`);
	for (const rid of failedIds) {
		const item = res.errors.find((x) => x.registrationId === rid);
		ok(item, `${what}: an error for ${rid}`);
		eq(item.errorCode, errorCode, `${what}: errorCode of ${rid}`);
		ok(typeof item.errorStatus === 'string' && item.errorStatus.length > 0,
			`${what}: errorStatus of ${rid}`);
	}
}

scenarios['bulk-create'] = async (svc) => {
	const ids = bulkIds('bulk-create', 3);
	const r = await bulk(svc, {
		mode: 'create', enrollments: ids.map(symmetricEnrollment),
	});
	checkBulk(r, [], 0, 'create of new ids');
	for (const rid of ids)
		eq((await svc.getIndividualEnrollment(rid)).responseBody.registrationId, rid, 'read back');
	const more = id('bulk-create-new');
	const again = await bulk(svc, {
		mode: 'create', enrollments: [ids[0], more].map(symmetricEnrollment),
	});
	checkBulk(again, [ids[0]], 409201, 'create of one existing id and one new');
	eq((await svc.getIndividualEnrollment(more)).responseBody.registrationId, more,
		'the new one is created all the same');
};

async function bulkSetup(svc, tag, n) {
	const ids = bulkIds(tag, n);
	await bulk(svc, { mode: 'create', enrollments: ids.map(symmetricEnrollment) });
	const items = [];
	for (const rid of ids)
		items.push((await svc.getIndividualEnrollment(rid)).responseBody);
	return items;
}

async function expectStatus(svc, items, status, what) {
	for (const e of items)
		eq((await svc.getIndividualEnrollment(e.registrationId)).responseBody.provisioningStatus,
			status, `${what}: provisioningStatus of ${e.registrationId}`);
}

scenarios['bulk-update'] = async (svc) => {
	const items = await bulkSetup(svc, 'bulk-update', 2);
	const bare = items.map((e) => ({ ...symmetricEnrollment(e.registrationId), provisioningStatus: 'disabled' }));
	const r1 = await bulk(svc, { mode: 'update', enrollments: bare });
	checkBulk(r1, items.map((e) => e.registrationId), 409201, 'update of items without an etag');
	await expectStatus(svc, items, 'enabled', 'after the refused update');
	for (const e of items)
		e.provisioningStatus = 'disabled';
	const r2 = await bulk(svc, { mode: 'update', enrollments: items });
	checkBulk(r2, [], 0, 'update of items read with their etag');
	await expectStatus(svc, items, 'disabled', 'after the update');
};

// The SDK's typed BulkOperationMode spells it 'updateIfMatchEtag'; the spec
// says 'updateIfMatchETag', and the service reads enum names in any case.
scenarios['bulk-update-if-match-etag'] = async (svc) => {
	const items = await bulkSetup(svc, 'bulk-ifmatch', 2);
	const stale = { ...items[1] };
	items[1].provisioningStatus = 'disabled';
	items[1] = (await svc.createOrUpdateIndividualEnrollment(items[1])).responseBody;
	for (const e of [items[0], stale])
		e.provisioningStatus = 'disabled';
	stale.initialTwin = { tags: { stale: 'yes' }, properties: { desired: {} } };
	const r = await bulk(svc, {
		mode: 'updateIfMatchEtag', enrollments: [items[0], stale],
	});
	checkBulk(r, [stale.registrationId], 412001, 'one current etag, one stale');
	await expectStatus(svc, [items[0]], 'disabled', 'the item with the current etag');
	const kept = (await svc.getIndividualEnrollment(stale.registrationId)).responseBody;
	eq(kept.etag, items[1].etag, 'the stale item left as it was: etag');
	eq(kept.initialTwin, undefined, 'the stale item left as it was: initialTwin');
};

scenarios['bulk-delete'] = async (svc) => {
	const items = await bulkSetup(svc, 'bulk-delete', 3);
	const r = await bulk(svc, {
		mode: 'delete', enrollments: items.map((e) => symmetricEnrollment(e.registrationId)),
	});
	checkBulk(r, [], 0, 'delete without etags');
	for (const e of items)
		await expectGone(svc, e.registrationId, `GET ${e.registrationId} after the delete`);
};

// Every page through the SDK's Query, following its continuation tokens.
// Query.next() without arguments sends no token when it returns a promise,
// so the token it kept from the last page is handed back to it.
async function queryAll(svc, pageSize) {
	const query = svc.createIndividualEnrollmentQuery({ query: 'SELECT *' }, pageSize);
	const pages = [];
	const tokens = new Set();
	while (query.hasMoreResults) {
		const token = query.continuationToken;
		ok(!tokens.has(token), `continuation token ${token} came twice`);
		tokens.add(token);
		const r = await query.next(token);
		eq(r.httpResponse.statusCode, 200, `page ${pages.length + 1}: HTTP status`);
		eq(r.httpResponse.headers['x-ms-item-type'], 'Enrollment', 'x-ms-item-type');
		ok(Array.isArray(r.responseBody), `page ${pages.length + 1} is an array`);
		pages.push(r.responseBody);
	}
	return pages;
}

scenarios['query-paged'] = async (svc) => {
	const ids = bulkIds('query', 7);
	await bulk(svc, { mode: 'create', enrollments: ids.map(symmetricEnrollment) });
	const pageSize = 3;
	const pages = await queryAll(svc, pageSize);
	const seen = pages.flat().map((e) => e.registrationId);
	ok(pages.length >= Math.ceil(ids.length / pageSize), `at least 3 pages (got ${pages.length})`);
	for (const [i, p] of pages.entries())
		ok(p.length <= pageSize, `page ${i + 1} holds at most ${pageSize} (got ${p.length})`);
	eq(new Set(seen).size, seen.length, 'no enrollment twice');
	for (const rid of ids)
		ok(seen.includes(rid), `${rid} is in the results`);
	for (const e of pages.flat())
		ok(!e.attestation.symmetricKey, `keys hidden in the query for ${e.registrationId}`);
};

// Azure's query results leave out registrationState; GET has it.
scenarios['query-without-registration-state'] = async (svc) => {
	const rid = id('query-state');
	await registered(svc, rid);
	const got = (await svc.getIndividualEnrollment(rid)).responseBody;
	eq(got.registrationState && got.registrationState.status, 'assigned', 'GET has the state');
	const found = (await queryAll(svc, 100)).flat().find((e) => e.registrationId === rid);
	ok(found, `${rid} is in the results`);
	eq(found.registrationState, undefined, 'registrationState in the query result');
};

scenarios['registration-state-get'] = async (svc) => {
	const rid = id('regstate-get');
	const result = await registered(svc, rid);
	const r = await svc.getDeviceRegistrationState(rid);
	eq(r.httpResponse.statusCode, 200, 'HTTP status');
	const s = r.responseBody;
	eq(s.registrationId, rid, 'registrationId');
	eq(s.status, 'assigned', 'status');
	eq(s.assignedHub, result.assignedHub, 'assignedHub');
	eq(s.deviceId, result.deviceId, 'deviceId');
	ok(typeof s.etag === 'string' && s.etag.length > 0, 'an etag');
	ok(!Number.isNaN(Date.parse(s.createdDateTimeUtc)), 'createdDateTimeUtc is a date');
	await expectError(svc.getDeviceRegistrationState(id('regstate-absent')), 404, 404202,
		'a registration id no device used');
};

scenarios['registration-state-delete'] = async (svc) => {
	const byId = id('regstate-del-id');
	const byObject = id('regstate-del-obj');
	await registered(svc, byId);
	await registered(svc, byObject);
	await svc.deleteDeviceRegistrationState(byId);
	await expectError(svc.getDeviceRegistrationState(byId), 404, 404202, 'GET after delete by id');
	const state = (await svc.getDeviceRegistrationState(byObject)).responseBody;
	await expectError(svc.deleteDeviceRegistrationState(byObject, staleEtag(state.etag)),
		412, 412001, 'delete with another etag');
	await svc.deleteDeviceRegistrationState(state);
	await expectError(svc.getDeviceRegistrationState(byObject), 404, 404202,
		'GET after delete by object');
	eq((await svc.getIndividualEnrollment(byId)).responseBody.registrationId, byId,
		'the enrollment stays');
};

scenarios['device-register-symmetric-key'] = async (svc) => {
	const rid = id('device');
	const created = await create(svc, rid);
	const result = await register(rid, created.attestation.symmetricKey.primaryKey);
	eq(result.status, 'assigned', 'status');
	eq(result.registrationId, rid, 'registrationId');
	eq(result.deviceId, rid, 'deviceId');
	ok(typeof result.assignedHub === 'string' && result.assignedHub.length > 0, 'an assignedHub');
	const state = (await svc.getIndividualEnrollment(rid)).responseBody.registrationState;
	ok(state, 'the enrollment has a registrationState');
	eq(state.status, 'assigned', 'registrationState.status');
	eq(state.assignedHub, result.assignedHub, 'registrationState.assignedHub');
	eq(state.deviceId, rid, 'registrationState.deviceId');
	const again = await register(rid, created.attestation.symmetricKey.secondaryKey,
		{ modelId: 'dtmi:com:example:Thermostat;1' });
	eq(again.status, 'assigned', 'registering again, with the secondary key and a payload');
	eq(again.assignedHub, result.assignedHub, 'the same hub the second time');
	const otherKey = Buffer.alloc(64, 7).toString('base64');
	await expectError(register(rid, otherKey), 401, 401002, 'a device signing with another key');
	await expectError(register(id('device-absent'), otherKey), 404, 404201,
		'a device with no enrollment');
};

// Every optional field the SDK's IndividualEnrollment has, keys of its own,
// and a static hub: the answer echoes them, and the device lands there.
scenarios['device-register-static-hub'] = async (svc) => {
	const rid = id('static');
	const hub = HUBS[1];
	const keys = {
		primaryKey: Buffer.alloc(32, 1).toString('base64'),
		secondaryKey: Buffer.alloc(32, 2).toString('base64'),
	};
	const r = await svc.createOrUpdateIndividualEnrollment({
		registrationId: rid,
		deviceId: `${rid}-device`,
		attestation: { type: 'symmetricKey', symmetricKey: keys },
		capabilities: { iotEdge: true },
		initialTwin: { tags: { site: 'bench' }, properties: { desired: { interval: 30 } } },
		provisioningStatus: 'enabled',
		reprovisionPolicy: { updateHubAssignment: true, migrateDeviceData: false },
		allocationPolicy: 'static',
		iotHubs: [hub],
	});
	const e = r.responseBody;
	eq(e.deviceId, `${rid}-device`, 'deviceId');
	sameSecret(e.attestation.symmetricKey.primaryKey, keys.primaryKey, 'the primary key given');
	sameSecret(e.attestation.symmetricKey.secondaryKey, keys.secondaryKey,
		'the secondary key given');
	eq(e.capabilities.iotEdge, true, 'capabilities.iotEdge');
	eq(e.initialTwin.properties.desired.interval, 30, 'initialTwin desired property');
	eq(e.reprovisionPolicy.migrateDeviceData, false, 'reprovisionPolicy.migrateDeviceData');
	eq(e.allocationPolicy, 'static', 'allocationPolicy');
	eq(JSON.stringify(e.iotHubs), JSON.stringify([hub]), 'iotHubs');
	const result = await register(rid, keys.secondaryKey);
	eq(result.status, 'assigned', 'status');
	eq(result.assignedHub, hub, 'assignedHub');
	eq(result.deviceId, `${rid}-device`, 'deviceId');
	await expectError(svc.createOrUpdateIndividualEnrollment({
		...symmetricEnrollment(id('static-unlinked')), allocationPolicy: 'static',
		iotHubs: ['not-linked.azure-devices.net'],
	}), 400, 400004, 'a hub that is not linked');
};

// A device whose enrollment is disabled gets the status 'disabled', which
// the device SDK hands back as an error carrying that result.
scenarios['device-register-disabled'] = async (svc) => {
	const rid = id('device-disabled');
	const e = { ...symmetricEnrollment(rid), provisioningStatus: 'disabled' };
	const created = (await svc.createOrUpdateIndividualEnrollment(e)).responseBody;
	let refused;
	try {
		await register(rid, created.attestation.symmetricKey.primaryKey);
	} catch (err) {
		refused = err;
	}
	ok(refused, 'the registration of a disabled enrollment does not succeed');
	ok(refused.result, `the SDK has the service's result (got ${describe(refused)})`);
	eq(refused.result.status, 'disabled', 'status');
	eq(refused.result.assignedHub, undefined, 'assignedHub');
};

function withLimit(promise, ms) {
	let timer;
	const limit = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
	});
	return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function describe(err) {
	if (err && err.response && err.responseBody !== undefined)
		return `${err.name}, HTTP ${err.response.statusCode}: ${err.responseBody}`;
	return err && err.message ? err.message : String(err);
}

async function main(names) {
	const unknown = names.filter((n) => !scenarios[n]);
	if (unknown.length) {
		console.error(`compat: no scenario named ${unknown.join(', ')}; there are: ` +
			Object.keys(scenarios).join(', '));
		return 2;
	}
	const run = names.length ? names : Object.keys(scenarios);
	let passed = 0;
	for (const name of run) {
		try {
			await withLimit(scenarios[name](service()), SCENARIO_LIMIT_MS);
			passed++;
			console.log(`  PASS  ${name}`);
		} catch (err) {
			console.log(`  FAIL  ${name}: ${describe(err)}`);
		}
	}
	console.log(`compat: ${passed} of ${run.length} scenarios passed`);
	return passed === run.length ? 0 : 1;
}

if (!DATA) {
	console.error('compat: COMPAT_DATA (dpsemu\'s data folder) is not set; run make compat');
	process.exit(2);
}
main(process.argv.slice(2)).then((code) => process.exit(code));
