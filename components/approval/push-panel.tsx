"use client";

import dynamic from "next/dynamic";

/**
 * The push panel where a referral has a push: its code and react-query load with it (server
 * rendered, then hydrated), not with every referral page, most of which have no push yet.
 */
export const PushPanel = dynamic(() => import("./push-progress").then((m) => m.PushProgressWithQuery));
