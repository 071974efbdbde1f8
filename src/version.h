/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VERSION_H
#define VERSION_H
#define SKBTRACER_VERSION "0.1.0"
#endif
