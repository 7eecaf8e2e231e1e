// How the Spanish-speaking families — the wallet API, the console API and the hosted pages —
// answer each refusal: the text the wallet integrations already show, and whether it is an
// error of the "Validation Failed" tree (400; under the refusal's field when it names one), a
// 403 or a 429. The switch is exhaustive: a new refusal code does not compile until it is
// answered here. A family with another error shape (the card API) maps refusals in its own folder.
//
// The distribution refusals read differently with and without a field: one naming a field is
// about the request as sent ("no tiene"), one without is found later, at execution ("ya no").
import { assertNever } from '../../kernel/errors.ts';
import { IDENTITY_MESSAGES } from '../../modules/identity/index.ts';
import { WALLET_MESSAGES } from '../../modules/wallets/index.ts';
import type { Refusal } from '../../kernel/refusals.ts';

export type SpanishRefusalKind = 'form' | 'forbidden' | 'too_many';

export interface SpanishRefusal {
  kind: SpanishRefusalKind;
  message: string;
}

const UNKNOWN_PARTY = {
  recipient: WALLET_MESSAGES.recipientUnknown.es,
  destination: 'La cuenta destino no existe.',
  account: 'La cuenta no existe.',
} as const;

const WRONG_TYPE = {
  approve: 'Solo una intención de tipo sale se aprueba en la página de pago.',
  execute_sale: 'Esta intención es de tipo request: use execute/request.json.',
  execute_request: 'Esta intención es de tipo sale: use execute/sale.json.',
  pay_in_wallet: 'Solo una intención de tipo request se paga desde la billetera.',
} as const;

/** What was tried with a POS intent, as the messages say it. */
export const POINT_ACTIONS = { cancel: 'cancelar', take: 'tomar', pay: 'cobrar', confirm: 'confirmar' } as const;

export function spanishRefusal(refusal: Refusal): SpanishRefusal {
  const form = (message: string): SpanishRefusal => ({ kind: 'form', message });
  const forbidden = (message: string): SpanishRefusal => ({ kind: 'forbidden', message });
  switch (refusal.code) {
    case 'insufficient_funds':
      return form(refusal.operation === 'payment' ? WALLET_MESSAGES.noFundsPayment.es : WALLET_MESSAGES.noFundsTransfer.es);
    case 'balance_limit':
      return form('El saldo de la cuenta superaría el máximo permitido.');
    case 'same_account':
      return form(WALLET_MESSAGES.sameAccount.es);
    case 'pin_not_set':
      return form(WALLET_MESSAGES.pinNotSet.es);
    case 'pin_locked':
      return form(WALLET_MESSAGES.pinLocked.es);
    case 'pin_wrong':
      return form(IDENTITY_MESSAGES.pinWrong.es);
    case 'password_wrong':
      return form(IDENTITY_MESSAGES.passwordWrong.es);
    case 'already_registered':
      return form('El usuario, teléfono o identificación ya está registrado.');
    case 'too_many_attempts':
      return { kind: 'too_many', message: WALLET_MESSAGES.tooManyAttempts.es };
    case 'token_rate_limited':
      return {
        kind: 'too_many',
        message: `Demasiadas solicitudes de token para esta aplicación (máximo ${refusal.max} cada ${refusal.windowSeconds} s). Reutilice el token vigente.`,
      };
    case 'sandbox_only':
      return forbidden('Solo disponible en el ambiente de pruebas.');
    case 'mail_unavailable':
      return forbidden('El restablecimiento de contraseña no está disponible: el operador no configuró el servidor de correo.');
    case 'reset_link_invalid':
      return form('El enlace para restablecer la contraseña no es válido, ya se usó o venció. Pida uno nuevo.');
    case 'test_users_limit':
      return form(`Puede tener hasta ${refusal.max} usuarios de prueba activos a la vez.`);
    case 'test_user_expired':
      return forbidden('Este usuario de prueba venció por inactividad (60 días); cree otro.');
    case 'test_and_real_users':
      return form('Un usuario de prueba y un usuario real no pueden pagarse entre sí.');
    case 'test_user_required':
      return forbidden(
        'Las ayudas del sandbox solo operan con usuarios de prueba (los compradores de demostración); una recarga, también con la cuenta del propio comercio.',
      );
    case 'operator_has_no_wallet':
      return forbidden('El operador no tiene cuentas electrónicas.');
    case 'business_account_required':
      return forbidden('Solo una cuenta empresarial puede registrar aplicaciones.');
    case 'account_locked':
      return forbidden(IDENTITY_MESSAGES.accountLocked.es);
    case 'operator_not_lockable':
      return forbidden('La cuenta del operador no puede bloquearse.');
    case 'request_not_pending':
      return form('La solicitud ya no está pendiente: fue atendida o retirada.');
    case 'permission_already_enabled':
      return form('La aplicación ya tiene este permiso.');
    case 'app_already_active':
      return form('La aplicación ya está activa.');
    case 'permission_missing':
      return forbidden(
        refusal.permission === 'payment_button'
          ? 'La aplicación no tiene habilitado el botón de pago.'
          : 'La aplicación no tiene habilitado el API de facturación.',
      );
    case 'permissions_by_operator':
      return forbidden('En producción los permisos los habilita el operador a solicitud del comercio.');
    case 'intent_executed':
      return form(WALLET_MESSAGES.requestPaid.es);
    case 'intent_annulled':
      return form('La intención de pago fue anulada.');
    case 'intent_rejected':
      return form(WALLET_MESSAGES.requestRejected.es);
    case 'intent_expired':
      return form(WALLET_MESSAGES.requestExpired.es);
    case 'intent_not_approved':
      return form('El pagador aún no aprobó la intención de pago.');
    case 'intent_not_payable':
      return form('La intención de pago no puede procesarse.');
    case 'intent_wrong_type':
      return form(WRONG_TYPE[refusal.operation]);
    case 'intent_other_payer':
      return form('Esta intención de pago pertenece a otro pagador.');
    case 'intent_for_other_user':
      return forbidden('Esta solicitud de pago es para otro usuario.');
    case 'own_intent':
      return form('No puede pagarse su propia intención de pago.');
    case 'own_account':
      return form('No puede pagarse a sí mismo.');
    case 'request_to_self':
      return form('No puede solicitarse un pago a sí mismo.');
    case 'unknown_party':
      return form(UNKNOWN_PARTY[refusal.role]);
    case 'pay_token_invalid':
      return form('El token de pago no es válido para esta intención.');
    case 'payer_not_approver':
      return form('El pagador no es quien aprobó la intención de pago.');
    case 'operator_cannot_pay':
      return forbidden('El operador no puede pagar.');
    case 'distributions_disabled':
      return form(
        refusal.field ? 'La aplicación no tiene habilitada la distribución de fondos.' : 'La aplicación ya no tiene habilitada la distribución de fondos.',
      );
    case 'distribution_unauthorized':
      return form(
        refusal.field
          ? 'La cuenta no está autorizada para recibir distribuciones de esta aplicación.'
          : 'Una cuenta de distribución ya no está autorizada para esta aplicación.',
      );
    case 'fee_exceeds_amount':
      return form('Las distribuciones y la comisión superan el monto de la transacción.');
    case 'already_annulled':
      return form('La intención de pago ya fue anulada.');
    case 'annul_window_passed':
      return form('Solo puede anularse dentro de las 24 horas siguientes a la ejecución.');
    case 'not_executed':
      return form('Solo puede anularse una intención de pago ejecutada.');
    case 'funds_moved':
      return form('No se puede anular: el comercio o una cuenta de distribución ya no tiene el saldo recibido por este pago.');
    case 'batch_full':
      return form(`El lote pendiente alcanzó el máximo de ${refusal.maxItems} registros: envíelo antes de agregar más.`);
    case 'batch_total_exceeded':
      return form('El lote pendiente alcanzó el monto máximo: envíelo antes de agregar más.');
    case 'batch_already_submitted':
      return form('El lote ya fue enviado.');
    case 'batch_empty':
      return form('El lote no tiene registros.');
    case 'batch_not_submitted':
      return form('El lote aún no ha sido enviado por el comercio.');
    case 'hold_already_posted':
      return form('La reserva de fondos ya fue cobrada.');
    case 'hold_already_voided':
      return form('La reserva de fondos ya fue anulada.');
    case 'hold_expired':
      return form('La reserva de fondos venció: ya no puede cobrarse.');
    case 'hold_amount_exceeded':
      return form('El monto a cobrar supera el monto reservado.');
    case 'card_token_invalid':
      return form('El token de la tarjeta no existe, ya se usó o venció.');
    case 'card_processor_missing':
      return form('Los pagos con tarjeta no están disponibles: no hay un procesador de tarjetas configurado.');
    case 'card_processor_declined':
      return form(`El procesador de tarjetas rechazó la operación (${refusal.reason}).`);
    case 'payment_method_mismatch':
      return form('El medio de pago no corresponde a la marca de la tarjeta.');
    case 'installments_invalid':
      return form(`El medio de pago no procesa pagos en cuotas: acepta hasta ${refusal.allowed}.`);
    case 'card_payment_state':
      return form('La acción no es válida en el estado actual del pago.');
    case 'card_amount_exceeded':
      return form(refusal.action === 'capture' ? 'El monto a capturar supera el autorizado.' : 'El monto a devolver supera lo que queda por devolver.');
    case 'customer_exists':
      return form('Ya existe un cliente con este correo.');
    case 'point_device_busy':
      return form('El terminal ya tiene una intención de pago en curso.');
    case 'point_device_standalone':
      return form('El terminal está en modo independiente (STANDALONE): cámbielo a PDV para enviarle intenciones.');
    case 'point_device_not_linked':
      return form('El terminal no está vinculado a una cuenta.');
    case 'point_pairing_code_invalid':
      return form('El código de vinculación no existe o venció.');
    case 'point_intent_state':
      return form(`La intención de pago está en estado ${refusal.state}: no se puede ${POINT_ACTIONS[refusal.action]}.`);
    case 'too_many_endpoints':
      return form(`Una aplicación admite hasta ${refusal.maxEndpoints} webhooks.`);
    case 'delivery_in_flight':
      return form('La entrega se está enviando en este momento.');
    case 'idempotency_key_reused':
      return form('La clave de idempotencia ya se usó con otra solicitud.');
    default:
      return assertNever(refusal, 'refusal');
  }
}
