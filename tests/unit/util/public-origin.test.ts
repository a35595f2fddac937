import { describe, expect, it } from 'vitest';
import { configuredOrigin, isPrivateHost, resolvePublicOrigin } from '../../../src/lib/server/public-origin.ts';

const at = (href: string, env: Record<string, string | undefined> = {}) => resolvePublicOrigin(new URL(href), env);

describe('the public origin of absolute links', () => {
	it('is always ORIGIN when it is set, whatever Host the request claims', () => {
		const env = { ORIGIN: 'https://yishi.example.org/' };
		expect(at('http://evil.example/records/x', env)).toEqual({ origin: 'https://yishi.example.org', fromRequest: false });
		expect(at('http://127.0.0.1:3000/', env)).toEqual({ origin: 'https://yishi.example.org', fromRequest: false });
	});

	it('without ORIGIN, comes from the request only on loopback and private LAN hosts', () => {
		for (const href of [
			'http://localhost:3000/',
			'http://127.0.0.1:3000/',
			'http://127.8.9.10/',
			'http://[::1]:3000/',
			'http://10.1.2.3/',
			'http://172.16.0.1/',
			'http://172.31.255.255/',
			'http://192.168.1.20:3000/',
			'http://juwei-laptop.local:3000/'
		]) {
			expect(at(href), href).toEqual({ origin: new URL(href).origin, fromRequest: true });
		}
	});

	it('without ORIGIN, is refused for any public or look-alike host', () => {
		for (const href of [
			'http://evil.example/',
			'http://172.32.0.1/',
			'http://172.15.0.1/',
			'http://192.169.1.1/',
			'http://11.0.0.1/',
			'http://8.8.8.8/',
			'http://localhost.evil.example/',
			'http://127.0.0.1.nip.io/',
			'http://10.0.0.1.evil.example/',
			'http://local/',
			'http://[2001:db8::1]/'
		]) {
			expect(at(href), href).toEqual({ origin: null, fromRequest: false });
		}
	});

	it('ignores an ORIGIN that is empty or not an http(s) URL', () => {
		expect(configuredOrigin({ ORIGIN: '' })).toBeNull();
		expect(configuredOrigin({ ORIGIN: 'yishi.example.org' })).toBeNull();
		expect(configuredOrigin({ ORIGIN: 'javascript:alert(1)' })).toBeNull();
		expect(configuredOrigin({ ORIGIN: 'http://192.168.1.5:3000' })).toBe('http://192.168.1.5:3000');
	});

	it('knows the private ranges exactly', () => {
		expect(isPrivateHost('172.16.0.0')).toBe(true);
		expect(isPrivateHost('172.31.0.0')).toBe(true);
		expect(isPrivateHost('256.1.1.1')).toBe(false);
		expect(isPrivateHost('LOCALHOST')).toBe(true);
	});
});
