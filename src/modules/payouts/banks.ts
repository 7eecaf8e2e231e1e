// Venezuelan banks and bank accounts (pure rules, no I/O).
//
// An account number (Código Cuenta Cliente) has 20 digits: bank (4) · branch (4) · check
// digits (2) · account (10). The first four digits are the bank's code in the Banco Central de
// Venezuela's list of institutions. Pasarela checks length, digits and a known bank code; it
// does NOT check the two check digits: the algorithm is not published by the BCV, the public
// descriptions of it disagree with each other, and the contract's own documented example
// account ("01050000000000000000") would fail the most common one. A wrong account is refused
// by the bank and comes back as a FAILED payout item, which returns its money.
import { ValidationError } from '../../kernel/errors.ts';
import { PAYOUT_MESSAGES } from './rules.ts';

export interface Bank {
  /** Four-digit BCV code, the first four digits of every account of the bank. */
  code: string;
  /** Short name, as people say it. */
  name: string;
  /** Legal name. */
  legalName: string;
}

/** The BCV's list of banking institutions by code (operating institutions). */
export const VENEZUELAN_BANKS: readonly Bank[] = [
  { code: '0001', name: 'Banco Central de Venezuela', legalName: 'Banco Central de Venezuela' },
  { code: '0102', name: 'Banco de Venezuela', legalName: 'Banco de Venezuela, S.A. Banco Universal' },
  { code: '0104', name: 'Venezolano de Crédito', legalName: 'Banco Venezolano de Crédito, S.A. Banco Universal' },
  { code: '0105', name: 'Mercantil', legalName: 'Banco Mercantil, C.A. Banco Universal' },
  { code: '0108', name: 'Provincial', legalName: 'Banco Provincial, S.A. Banco Universal' },
  { code: '0114', name: 'Bancaribe', legalName: 'Banco del Caribe, C.A. Banco Universal' },
  { code: '0115', name: 'Exterior', legalName: 'Banco Exterior, C.A. Banco Universal' },
  { code: '0128', name: 'Caroní', legalName: 'Banco Caroní, C.A. Banco Universal' },
  { code: '0134', name: 'Banesco', legalName: 'Banesco Banco Universal, C.A.' },
  { code: '0137', name: 'Sofitasa', legalName: 'Banco Sofitasa Banco Universal, C.A.' },
  { code: '0138', name: 'Plaza', legalName: 'Banco Plaza, Banco Universal' },
  { code: '0146', name: 'Bangente', legalName: 'Banco de la Gente Emprendedora (Bangente), C.A.' },
  { code: '0151', name: 'BFC', legalName: 'BFC Banco Fondo Común, C.A. Banco Universal' },
  { code: '0156', name: '100% Banco', legalName: '100% Banco, Banco Comercial, C.A.' },
  { code: '0157', name: 'DelSur', legalName: 'DelSur, Banco Universal C.A.' },
  { code: '0163', name: 'Tesoro', legalName: 'Banco del Tesoro, C.A. Banco Universal' },
  { code: '0166', name: 'Agrícola', legalName: 'Banco Agrícola de Venezuela, C.A. Banco Universal' },
  { code: '0168', name: 'Bancrecer', legalName: 'Bancrecer, S.A. Banco Microfinanciero' },
  { code: '0169', name: 'Mi Banco', legalName: 'Mi Banco, Banco Microfinanciero, C.A.' },
  { code: '0171', name: 'Activo', legalName: 'Banco Activo, C.A. Banco Universal' },
  { code: '0172', name: 'Bancamiga', legalName: 'Bancamiga Banco Universal, C.A.' },
  { code: '0173', name: 'Internacional de Desarrollo', legalName: 'Banco Internacional de Desarrollo, C.A. Banco Universal' },
  { code: '0174', name: 'Banplus', legalName: 'Banplus Banco Universal, C.A.' },
  { code: '0175', name: 'Bicentenario', legalName: 'Banco Bicentenario del Pueblo, Banco Universal C.A.' },
  { code: '0177', name: 'Banfanb', legalName: 'Banco de la Fuerza Armada Nacional Bolivariana, Banco Universal' },
  { code: '0178', name: 'N58', legalName: 'N58 Banco Digital, Banco Microfinanciero' },
  { code: '0191', name: 'BNC', legalName: 'Banco Nacional de Crédito, C.A. Banco Universal' },
  { code: '0601', name: 'Instituto Municipal de Crédito Popular', legalName: 'Instituto Municipal de Crédito Popular' },
];

const BY_CODE: ReadonlyMap<string, Bank> = new Map(VENEZUELAN_BANKS.map((b) => [b.code, b]));

export function bankByCode(code: string): Bank | undefined {
  return BY_CODE.get(code);
}

export interface BankAccount {
  /** 20 digits, spaces and dashes removed. */
  number: string;
  bank: Bank;
}

export type BankAccountCheck = { ok: true; account: BankAccount } | { ok: false; message: string; code: `payouts.${keyof typeof PAYOUT_MESSAGES}` };

/** Check an account number; spaces and dashes between digit groups are allowed and removed. */
export function checkBankAccount(input: unknown): BankAccountCheck {
  if (input === undefined || input === null || (typeof input === 'string' && input.trim() === ''))
    return { ok: false, message: PAYOUT_MESSAGES.required.es, code: 'payouts.required' };
  if (typeof input !== 'string') return { ok: false, message: PAYOUT_MESSAGES.accountFormat.es, code: 'payouts.accountFormat' };
  const number = input.replace(/[\s-]/g, '');
  if (!/^\d{20}$/.test(number)) return { ok: false, message: PAYOUT_MESSAGES.accountFormat.es, code: 'payouts.accountFormat' };
  const bank = bankByCode(number.slice(0, 4));
  if (!bank) return { ok: false, message: PAYOUT_MESSAGES.bankNotFound.es, code: 'payouts.bankNotFound' };
  return { ok: true, account: { number, bank } };
}

/** Like checkBankAccount, throwing the contract's 400 at `path`. */
export function parseBankAccount(input: unknown, path: string[] = []): BankAccount {
  const result = checkBankAccount(input);
  if (!result.ok) throw new ValidationError([{ path, message: result.message, code: result.code }]);
  return result.account;
}
