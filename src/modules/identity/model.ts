// Venezuelan identity rules: phone numbers, identification documents, usernames, PINs.
import { ValidationError } from '../../kernel/errors.ts';

const PHONE = /^58\d{10}$/;
const IDENTIFICATION = /^[VEJGP]\d{5,10}$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,39}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PIN = /^\d{4}$/;

export function normalizePhone(value: string): string {
  return value.replace(/[\s+()-]/g, '');
}

export function isPhone(value: string): boolean {
  return PHONE.test(normalizePhone(value));
}

export function normalizeIdentification(value: string): string {
  return value.replace(/[\s.-]/g, '').toUpperCase();
}

export function isIdentification(value: string): boolean {
  return IDENTIFICATION.test(normalizeIdentification(value));
}

export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

export function isUsername(value: string): boolean {
  return USERNAME.test(normalizeUsername(value));
}

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export function isPin(value: string): boolean {
  return PIN.test(value);
}

/** Which of username / phone / identification a payer reference is (billing API `recipient`). */
export type PartyReference = { kind: 'phone'; value: string } | { kind: 'identification'; value: string } | { kind: 'username'; value: string };

export function classifyPartyReference(raw: string, path: string[] = []): PartyReference {
  const value = raw.trim();
  if (isPhone(value)) return { kind: 'phone', value: normalizePhone(value) };
  if (isIdentification(value)) return { kind: 'identification', value: normalizeIdentification(value) };
  if (isUsername(value)) return { kind: 'username', value: normalizeUsername(value) };
  throw new ValidationError([{ path, message: 'Debe indicar un usuario, teléfono o identificación válido.', code: 'identity.partyReference' }]);
}

export const MIN_PASSWORD_LENGTH = 8;
