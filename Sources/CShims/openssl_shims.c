#include "CShims.h"

#include <openssl/crypto.h>
#include <openssl/x509v3.h>
#include <string.h>

int sohoa_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

X509 *sohoa_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

void sohoa_sk_X509_pop_free(STACK_OF(X509) *stack) {
    sk_X509_pop_free(stack, X509_free);
}

void sohoa_sk_X509_free(STACK_OF(X509) *stack) {
    sk_X509_free(stack);
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

/* Appends `uri` and a newline to the growing buffer *text; returns 0 when memory runs out. */
static int sohoa_append_line(char **text, size_t *length, const char *uri, size_t uriLength) {
    char *grown = OPENSSL_realloc(*text, *length + uriLength + 2);
    if (grown == NULL) return 0;
    memcpy(grown + *length, uri, uriLength);
    grown[*length + uriLength] = '\n';
    grown[*length + uriLength + 1] = '\0';
    *text = grown;
    *length += uriLength + 1;
    return 1;
}

static void sohoa_append_general_name_uri(char **text, size_t *length, const GENERAL_NAME *name) {
    if (name == NULL || name->type != GEN_URI || name->d.uniformResourceIdentifier == NULL) return;
    const ASN1_IA5STRING *uri = name->d.uniformResourceIdentifier;
    sohoa_append_line(text, length, (const char *)ASN1_STRING_get0_data(uri), (size_t)ASN1_STRING_length(uri));
}

char *sohoa_x509_uris(X509 *certificate, int which) {
    char *text = NULL;
    size_t length = 0;
    if (which == 0) {
        STACK_OF(DIST_POINT) *points = X509_get_ext_d2i(certificate, NID_crl_distribution_points, NULL, NULL);
        for (int i = 0; i < sk_DIST_POINT_num(points); i++) {
            DIST_POINT *point = sk_DIST_POINT_value(points, i);
            if (point->distpoint == NULL || point->distpoint->type != 0) continue;
            GENERAL_NAMES *names = point->distpoint->name.fullname;
            for (int j = 0; j < sk_GENERAL_NAME_num(names); j++) {
                sohoa_append_general_name_uri(&text, &length, sk_GENERAL_NAME_value(names, j));
            }
        }
        CRL_DIST_POINTS_free(points);
    } else {
        AUTHORITY_INFO_ACCESS *access = X509_get_ext_d2i(certificate, NID_info_access, NULL, NULL);
        for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(access); i++) {
            ACCESS_DESCRIPTION *description = sk_ACCESS_DESCRIPTION_value(access, i);
            if (OBJ_obj2nid(description->method) == NID_ad_OCSP) {
                sohoa_append_general_name_uri(&text, &length, description->location);
            }
        }
        AUTHORITY_INFO_ACCESS_free(access);
    }
    return text;
}

int sohoa_cms_signer_count(CMS_ContentInfo *cms) {
    return sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms));
}

CMS_SignerInfo *sohoa_cms_signer(CMS_ContentInfo *cms, int index) {
    return sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), index);
}

int sohoa_sk_X509_CRL_num(const STACK_OF(X509_CRL) *stack) {
    return sk_X509_CRL_num(stack);
}

X509_CRL *sohoa_sk_X509_CRL_value(const STACK_OF(X509_CRL) *stack, int index) {
    return sk_X509_CRL_value(stack, index);
}

void sohoa_sk_X509_CRL_pop_free(STACK_OF(X509_CRL) *stack) {
    sk_X509_CRL_pop_free(stack, X509_CRL_free);
}

int sohoa_cms_is_detached(CMS_ContentInfo *cms) {
    return CMS_is_detached(cms);
}

const STACK_OF(X509) *sohoa_ocsp_basic_certificates(OCSP_BASICRESP *response) {
    return OCSP_resp_get0_certs(response);
}
