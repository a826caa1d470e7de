#include "CShims.h"

#include <openssl/crypto.h>

int sohoa_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

X509 *sohoa_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

void sohoa_sk_X509_pop_free(STACK_OF(X509) *stack) {
    sk_X509_pop_free(stack, X509_free);
}

void sohoa_openssl_free(void *pointer) {
    OPENSSL_free(pointer);
}

unsigned long sohoa_name_print_flags_utf8(void) {
    return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
}

STACK_OF(X509) *sohoa_sk_X509_new_null(void) {
    return sk_X509_new_null();
}

int sohoa_sk_X509_push_up_ref(STACK_OF(X509) *stack, X509 *certificate) {
    if (X509_up_ref(certificate) != 1) return 0;
    if (sk_X509_push(stack, certificate) <= 0) {
        X509_free(certificate);
        return 0;
    }
    return 1;
}

STACK_OF(X509) *sohoa_pkcs7_certificates(PKCS7 *signedData) {
    if (signedData == NULL || !PKCS7_type_is_signed(signedData) || signedData->d.sign == NULL) return NULL;
    return signedData->d.sign->cert;
}
