"""Red-flag detection: every phrase that must get a safety route, and ordinary questions that must not.

Over-inclusive beats missing one, but the everyday questions people ask about leaving hospital
(most from the seed digests' "realistic user questions") must reach the normal answers.
"""

from __future__ import annotations

import gzip
import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from bot.nlp.pipeline import build_pipeline
from bot.safety.red_flags import GROUPS, RedFlagDetector, default_detector, detect, load_data, load_pipeline

EMERGENCY = "emergency"
SUICIDE = "suicide_self_harm"
SAFEGUARDING = "safeguarding"
URGENT = "urgent"
MISSING = "missing_person"
CARER = "carer_crisis"

POSITIVES: list[tuple[str, str]] = [
    # --- chest pain
    ("mum has chest pain", EMERGENCY),
    ("dad is complaining of pains in his chest", EMERGENCY),
    ("my chest feels really tight", EMERGENCY),
    ("he says there's a crushing feeling in his chest", EMERGENCY),
    ("i think she's having a heart attack", EMERGENCY),
    ("chesst painn since this morning", EMERGENCY),
    ("pt c/o CP radiating to left arm", EMERGENCY),
    ("heartattack?? what do i do", EMERGENCY),
    ("his chest hurts when he breathes", EMERGENCY),
    # --- breathing
    ("she can't breathe properly", EMERGENCY),
    ("dad cant breath", EMERGENCY),
    ("mum is struggling to breathe tonight", EMERGENCY),
    ("he's really short of breath after the stairs", EMERGENCY),
    ("pt SOB on minimal exertion", EMERGENCY),
    ("she has difficulty breathing", EMERGENCY),
    ("brething difficulty since coming home", EMERGENCY),
    ("his lips have gone blue", EMERGENCY),
    ("he's not breathing", EMERGENCY),
    ("her breathing is very noisy and fast", EMERGENCY),
    ("sats dropping on the ward", EMERGENCY),
    ("grandad is gasping for air", EMERGENCY),
    ("my wife is breathless and can't lie down", EMERGENCY),
    # --- stroke
    ("i think dad is having a stroke", EMERGENCY),
    ("her face is drooping on one side", EMERGENCY),
    ("his speech is slurred all of a sudden", EMERGENCY),
    ("mum suddenly can't lift her arm", EMERGENCY),
    ("worried he's had another stroke", EMERGENCY),
    ("signs of a stroke what do i do", EMERGENCY),
    ("pt ?TIA this am", EMERGENCY),
    ("she is slurring her words", EMERGENCY),
    # --- collapse
    ("mum collapsed in the kitchen", EMERGENCY),
    ("dad colapsed and wont wake up", EMERGENCY),
    ("she fainted twice today", EMERGENCY),
    ("he passed out in the bathroom", EMERGENCY),
    ("my husband is unconscious", EMERGENCY),
    ("pt found unresponsive", EMERGENCY),
    ("i can't wake her up", EMERGENCY),
    ("found him on the floor this morning", EMERGENCY),
    ("she's on the floor and can't get up", EMERGENCY),
    ("should i call an ambulance", EMERGENCY),
    ("is this an emergency", EMERGENCY),
    ("he is seriously ill", EMERGENCY),
    # --- head injury
    ("she fell and hit her head", EMERGENCY),
    ("dad banged his head on the door frame", EMERGENCY),
    ("head injury after a fall at home", EMERGENCY),
    ("his head is bleeding", EMERGENCY),
    # --- fits
    ("she's having a fit", EMERGENCY),
    ("he had a seizure this morning", EMERGENCY),
    ("mum keeps having fits", EMERGENCY),
    ("siezure", EMERGENCY),
    ("he started fitting", EMERGENCY),
    ("convulsions won't stop", EMERGENCY),
    # --- heavy bleeding
    ("his leg is bleeding heavily", EMERGENCY),
    ("the bleeding won't stop", EMERGENCY),
    ("there's blood everywhere", EMERGENCY),
    ("she is coughing up blood", EMERGENCY),
    ("lots of blood from the wound", EMERGENCY),
    # --- choking
    ("he is choking", EMERGENCY),
    ("she choked on her dinner and can't breathe", EMERGENCY),
    ("food stuck in her throat", EMERGENCY),
    # --- overdose and poisoning
    ("dad mixed his tablets with alcohol last night", EMERGENCY),
    ("she took her pills with vodka", EMERGENCY),
    ("dad took too many tablets", EMERGENCY),
    ("i think mum has taken an overdose", EMERGENCY),
    ("she's taken all her paracetamol", EMERGENCY),
    ("pt OD'd on insulin", EMERGENCY),
    ("possible OD", EMERGENCY),
    ("he swallowed bleach", EMERGENCY),
    ("overdoes of tablets", EMERGENCY),
    # --- allergy, sepsis, burns
    ("her lips and tongue are swelling up", EMERGENCY),
    ("allergic reaction to the new antibiotics", EMERGENCY),
    ("could it be sepsis", EMERGENCY),
    ("he has a bad burn from the kettle", EMERGENCY),
    # --- suicide and self-harm, for the person or the carer
    ("i want to kill myself", SUICIDE),
    ("I'm a carer and i feel suicidal", SUICIDE),
    ("dad keeps saying he wants to die", SUICIDE),
    ("mum said she doesn't want to live anymore", SUICIDE),
    ("sometimes i think everyone would be better off without me", SUICIDE),
    ("he talks about ending his life", SUICIDE),
    ("i can't go on like this", SUICIDE),
    ("my daughter has been self harming", SUICIDE),
    ("she's been cutting herself", SUICIDE),
    ("pt disclosed SI", SUICIDE),
    ("sucidal thoughts", SUICIDE),
    ("i've been having thoughts of ending it", SUICIDE),
    ("there's no point living anymore", SUICIDE),
    ("im thinking of ending it all", SUICIDE),
    ("he said he would hang himself", SUICIDE),
    ("i dont want to be here anymore", SUICIDE),
    ("self-harm", SUICIDE),
    ("i wish i was dead", SUICIDE),
    ("she wants to end her life", SUICIDE),
    ("i feel like taking my own life", SUICIDE),
    # --- safeguarding: abuse, neglect, violence, financial abuse, left alone and unsafe
    ("i think the carer is abusing my mum", SAFEGUARDING),
    ("my dad is being neglected in the care home", SAFEGUARDING),
    ("her partner hits her", SAFEGUARDING),
    ("he has been hitting her", SAFEGUARDING),
    ("the carer slapped him", SAFEGUARDING),
    ("she has unexplained bruises on her arms", SAFEGUARDING),
    ("my brother is taking mum's money", SAFEGUARDING),
    ("her son has been using her bank card without asking", SAFEGUARDING),
    ("someone stole his pension", SAFEGUARDING),
    ("money keeps going missing from her purse", SAFEGUARDING),
    ("he is being pressured to sign his house over", SAFEGUARDING),
    ("she was scammed out of her savings", SAFEGUARDING),
    ("domestic violence at home", SAFEGUARDING),
    ("mum is scared of her carer", SAFEGUARDING),
    ("she's been left alone all day with no food", SAFEGUARDING),
    ("dad was left on his own without help for two days", SAFEGUARDING),
    ("the carers didn't turn up again and she's still in bed", SAFEGUARDING),
    ("she's not safe with him", SAFEGUARDING),
    ("my nan is in danger at home", SAFEGUARDING),
    ("i don't feel safe at home", SAFEGUARDING),
    ("I need to raise a safeguarding concern", SAFEGUARDING),
    ("pt disclosed DV", SAFEGUARDING),
    ("self neglect", SAFEGUARDING),
    ("he's been verbally abusive to her", SAFEGUARDING),
    ("they locked her in her room", SAFEGUARDING),
    ("what counts as financial abuse", SAFEGUARDING),
    ("nobody came to help mum this morning", SAFEGUARDING),
    ("the home is neglecting him, he's lost loads of weight", SAFEGUARDING),
    ("he threatened her", SAFEGUARDING),
    ("abuse", SAFEGUARDING),
    ("nieghbour is stealing from her", SAFEGUARDING),
    # --- urgent after discharge: medicines, wounds, confusion, falls and other
    ("they sent dad home with no medication", URGENT),
    ("mum's tablets weren't in the bag when she got home", URGENT),
    ("we've run out of his insulin", URGENT),
    ("the pharmacy hasn't delivered her meds", URGENT),
    ("he was discharged without his inhaler", URGENT),
    ("TTOs not ready and pt going home", URGENT),
    ("forgot to give her the evening tablets", URGENT),
    ("she was given the wrong tablets", URGENT),
    ("his wound looks infected", URGENT),
    ("the wound is red and hot", URGENT),
    ("there's pus coming out of the stitches", URGENT),
    ("her scar is weeping and smells", URGENT),
    ("discharge from the wound", URGENT),
    ("mum is really confused since coming home", URGENT),
    ("dad has suddenly become confused", URGENT),
    ("she's not herself and talking nonsense", URGENT),
    ("he doesn't know where he is", URGENT),
    ("grandma is seeing things that aren't there", URGENT),
    ("new confusion", URGENT),
    ("mum is more confussed today", URGENT),
    ("she had a fall last night", URGENT),
    ("dad fell in the bathroom", URGENT),
    ("he keeps falling over", URGENT),
    ("she has a high temperature", URGENT),
    ("he hasn't eaten or drunk anything for two days", URGENT),
    ("she is not passing urine", URGENT),
    ("his catheter is blocked", URGENT),
    ("she's been vomiting all night", URGENT),
    ("he is in a lot of pain", URGENT),
    ("her leg is swollen and painful", URGENT),
    ("she has a pressure sore", URGENT),
    ("he is deteriorating at home", URGENT),
    ("mum is getting worse", URGENT),
    ("the wound is bleeding a bit", URGENT),
    ("she's really poorly", URGENT),
    ("he's very drowsy", URGENT),
    ("water infection", URGENT),
    ("dizzy and shaky", URGENT),
    # --- long messages with the signal buried part-way
    (
        "Hi, my mum came home from Poole hospital on Tuesday on pathway 1 and the carers come twice a day, "
        "but since yesterday she's had chest pain on and off and I wasn't sure who to ask, also who pays "
        "for the carers after six weeks?",
        EMERGENCY,
    ),
    (
        "We're trying to sort out a care home for dad in Hereford and the social worker said pathway 3, "
        "honestly some days I feel like I can't go on, but anyway what does pathway 3 mean for the fees?",
        SUICIDE,
    ),
    (
        "quick q about CHC - mum had the checklist done last week. the agency carers keep shouting at her "
        "and one of them slapped her, anyway when do we hear back about the checklist?",
        SAFEGUARDING,
    ),
    (
        "Dad was discharged yesterday to Romford, the ward said a nurse would visit. He came home without "
        "his tablets and the GP surgery is closed till Monday. Also can we get a commode?",
        URGENT,
    ),
    (
        "ward staff here - pt due for discharge P1 tomorrow, family say they're worried as his daughter "
        "has been taking money from his account, how do we get reablement arranged?",
        SAFEGUARDING,
    ),
    (
        "Thanks for the info on reablement. By the way she seems very muddled since she came home, "
        "keeps asking where she is. Is that normal after hospital?",
        URGENT,
    ),
    (
        "sorry to bother you, my husband came home on friday and he is now slurring his words and his face "
        "looks different, should I wait for the district nurse?",
        EMERGENCY,
    ),
    (
        "Can you tell me about the carers assessment? Looking after Mum is a lot and some nights I think "
        "about killing myself. Also is there respite in Barking?",
        SUICIDE,
    ),
    # --- several groups: the highest priority wins
    ("she collapsed and I think her carer has been hitting her", EMERGENCY),
    ("i want to end it all and mum is being neglected", SUICIDE),
    ("he fell and the carers never came", SAFEGUARDING),
    ("she had an overdose because she is suicidal", EMERGENCY),
    # --- negation does not suppress (over-inclusive on purpose)
    ("he doesn't have chest pain but he's sweaty", EMERGENCY),
    ("she is not suicidal, just low", SUICIDE),
]

# Further phrasings found in review (written before the patterns that now catch them).
POSITIVES += [
    ("breathing is really bad tonight", EMERGENCY),
    ("he has gone grey and sweaty", EMERGENCY),
    ("mum can't get her breath", EMERGENCY),
    ("she's wheezing and can't talk", EMERGENCY),
    ("he's clutching his chest", EMERGENCY),
    ("heart is racing and chest is tight", EMERGENCY),
    ("dad's gone floppy", EMERGENCY),
    ("he's drifting in and out of consciousness", EMERGENCY),
    ("she's barely conscious", EMERGENCY),
    ("mum is very drowsy and hard to wake", EMERGENCY),
    ("she's fitting", EMERGENCY),
    ("she knocked her head", EMERGENCY),
    ("blood in his sick", EMERGENCY),
    ("she swallowed something", EMERGENCY),
    ("she took 20 paracetamol", EMERGENCY),
    ("took a load of pills", EMERGENCY),
    ("his face has dropped on one side", EMERGENCY),
    ("he's confused and his arm is weak", EMERGENCY),
    ("she has bruises she can't explain", SAFEGUARDING),
    ("he controls all her money", SAFEGUARDING),
    ("the neighbour is taking advantage of him financially", SAFEGUARDING),
    ("mum is frightened of my brother", SAFEGUARDING),
    ("the care home staff are rough with her", SAFEGUARDING),
    ("the carer shouts at her and pushes her around", SAFEGUARDING),
    ("nobody has been to see her for days", SAFEGUARDING),
    ("she's been left sitting in wet clothes", SAFEGUARDING),
    ("she's not being fed properly at the care home", SAFEGUARDING),
    ("they left him on the floor for hours", SAFEGUARDING),
    ("she cut her wrists", SUICIDE),
    ("i can't take it anymore", SUICIDE),
    ("i feel like ending it", SUICIDE),
    ("i just want it all to stop", SUICIDE),
    ("i wanna die", SUICIDE),
    ("nobody would miss me", SUICIDE),
    ("what's the point in living", SUICIDE),
    ("dad slipped in the shower", URGENT),
    ("she had a funny turn and fell", URGENT),
    ("his stitches have come apart", URGENT),
    ("the cut is hot and red", URGENT),
    ("he has not taken his medication for days", URGENT),
    ("i think i took my tablets twice", URGENT),
    ("mum gave him double his morphine", URGENT),
    ("no blister pack arrived", URGENT),
    ("dad is talking rubbish and doesn't know me", URGENT),
    ("he's burning up", URGENT),
    ("his catheter has stopped draining", URGENT),
    ("there's blood in her wee", URGENT),
    # --- believing they are somewhere else (new confusion)
    ("he thinks she's somewhere else", URGENT),
    ("dad thought he was still at work this morning", URGENT),
    # --- money handed to a stranger (financial abuse)
    ("he gave all his money to a man who phoned", SAFEGUARDING),
    ("mum sent her savings to someone who rang her", SAFEGUARDING),
    # --- stroke signs in everyday words
    ("his face has gone wonky on the left", EMERGENCY),
    ("her words are all jumbled and wrong", EMERGENCY),
    ("he can't get his words out", EMERGENCY),
    ("mum's hand has gone dead and she dropped her tea", EMERGENCY),
    ("numbness down the right side of his face", EMERGENCY),
    # --- wounds after an operation, in everyday words
    ("the scar from his op is angry and hot", URGENT),
    ("her incision is seeping fluid", URGENT),
    ("his stiches look puffy and there's gunk", URGENT),
    # --- suicide and self-harm, indirect
    ("i googled how many tablets it would take", SUICIDE),
    ("i have been stockpiling my painkillers", SUICIDE),
    ("on the motorway i think about swerving into a lorry", SUICIDE),
    ("i keep cutting my thighs", SUICIDE),
    ("they'd all be better off if i was gone", SUICIDE),
    # --- safeguarding: money, bruises, left with nothing
    ("her son is writing cheques to himself", SAFEGUARDING),
    ("the cleaner has been withdrawing cash from her account", SAFEGUARDING),
    ("cash keeps disappearing from her purse", SAFEGUARDING),
    ("£50 went missing after the carer left", SAFEGUARDING),
    ("she has bruises and nobody can explain them", SAFEGUARDING),
    ("there are finger marks on his arms", SAFEGUARDING),
    ("she's black and blue", SAFEGUARDING),
    ("he is terrified of one of the staff", SAFEGUARDING),
    ("they left him with no food in the fridge", SAFEGUARDING),
    ("dropped home to an empty house at midnight", SAFEGUARDING),
    ("she's dying and refusing all the carers", SAFEGUARDING),
    # --- missing person
    ("mum has wandered off again", MISSING),
    ("dad went missing this afternoon", MISSING),
    ("my nan has gone missing from the care home", MISSING),
    ("grandad is missing and he has dementia", MISSING),
    ("i can't find her anywhere", MISSING),
    ("we have searched everywhere for him", MISSING),
    ("he hasn't come back from the shop and it's been hours", MISSING),
    ("she never came home last night", MISSING),
    ("dad has disappeared", MISSING),
    ("nobody knows where she is", MISSING),
    ("he gets lost and he's out on his own", MISSING),
    ("she was gone when i woke up, mum was gone", MISSING),
    ("he walked out without anyone noticing", MISSING),
    ("mum is wandering the streets somewhere", MISSING),
    ("patient missing from the ward, has dementia", MISSING),
    # --- carer in crisis
    ("I cannot cope any more", CARER),
    ("i'm not coping with dad at all", CARER),
    ("being a carer is killing me", CARER),
    ("looking after him is destroying me", CARER),
    ("im at breaking point with mum", CARER),
    ("i'm at the end of my tether", CARER),
    ("i am at my wits end caring for her", CARER),
    ("i'm completely burnt out", CARER),
    ("i'm falling apart", CARER),
    ("i can't do this on my own", CARER),
    ("i'm exhausted and no one helps", CARER),
    ("i am drowning", CARER),
    ("caring has got too much for me", CARER),
    ("i'm on my knees with it all", CARER),
    ("i've had enough of caring", CARER),
    ("i keep snapping at him because i'm so tired", CARER),
]

# Past events, hypotheticals and people found: no route (bot/safety/framing.py).
FRAMED_AWAY: list[str] = [
    "Dad had a heart attack back in May... can he get cardiac rehab?",
    "she had a stroke years ago, can she get a blue badge",
    "he used to have fits, can he drive",
    "mum collapsed in 2021 and has had a pacemaker since, who pays for her care?",
    "for our ward induction pack: what is the safeguarding referral process?",
    "I'm a nursing student: hypothetically, what if a patient's sats are low on the day of discharge?",
    "what should happen if a patient discloses abuse to a healthcare assistant?",
    "training scenario: the patient has chest pain, what is the escalation route?",
    "in theory, if a resident went missing what is the procedure",
    "mum went missing yesterday but the police found her, she's safe and well. Can we get a tracker?",
    # one general question about a sign, and explained bruising (round two)
    "what are the early signs of a stroke?",
    "is it normal to feel breathless walking up stairs at 85?",
    "mum bruises easily on her arms because of her aspirin, should the carers know?",
    "interview practice: what would you do if a resident collapsed in the lounge?",
    "how do I report a scam text to the bank?",
]

# Round two: concepts the first round missed in real wording (our own words here).
POSITIVES += [
    # an overdose whose amount is kept back
    ("he says he's taken a load of something but won't tell me what", EMERGENCY),
    ("she took some of her sleeping pills and refuses to say how many", EMERGENCY),
    # a long time on the floor, or a fall onto the head
    ("found dad on the lounge floor, he's been there all night", EMERGENCY),
    ("mum fell against the door frame and hit her head hard", EMERGENCY),
    # neglect told as a story
    ("that's how they sent him home, unable to stand and in a wet pad", SAFEGUARDING),
    ("she's been in the same nightie for a week and the carers don't change her", SAFEGUARDING),
    ("the hospital put gran in a taxi home at midnight", SAFEGUARDING),
    ("he lives in filth and won't let anyone in to help", SAFEGUARDING),
    # a background condition inside a neglect story does not make it an emergency
    ("they sent grandad home at 2am to an empty flat, he's 88 and has had a stroke", SAFEGUARDING),
    # scams and other financial abuse
    ("a caller pretending to be from the bank got her to read out her card number", SAFEGUARDING),
    ("the man next door talked dad into transferring his savings", SAFEGUARDING),
    ("her grandson keeps using her credit card online", SAFEGUARDING),
    ("mum's wedding ring and necklace have gone from her room", SAFEGUARDING),
    # missing person
    ("the carer arrived at nine and there was no sign of him", MISSING),
    ("she hasn't returned from the shop and it's been three hours", MISSING),
    ("she wasn't in when the nurse called round this morning and she never goes out", MISSING),
    # carers in crisis
    ("I've reached my limit caring for mum", CARER),
    ("I'm so worn out I could scream", CARER),
    ("I cry myself to sleep most nights after putting him to bed", CARER),
    # emotional and physical abuse
    ("her husband calls her stupid and useless in front of the carers", SAFEGUARDING),
    ("the agency carer pulled dad's hair to make him sit down", SAFEGUARDING),
]

# Round three: concepts the real sets showed were missing (our own words here).
POSITIVES += [
    # heart attack signs in everyday words; a fall followed by signs of a head injury
    ("there's a heavy feeling in his chest and he's sweating", EMERGENCY),
    ("her left arm has been aching for an hour and she feels sick", EMERGENCY),
    ("he's had indigestion since lunch that won't ease", EMERGENCY),
    ("my wife has pins and needles down her left side", EMERGENCY),
    ("she fell on the patio and now seems dazed", EMERGENCY),
    ("grandad fell and can't remember what happened", EMERGENCY),
    ("there's a deep cut above her eyebrow after she went over", EMERGENCY),
    ("he looks as white as a sheet", EMERGENCY),
    ("found an empty packet of paracetamol beside her bed", EMERGENCY),
    # ending things, a wish not to wake, thinking of an overdose
    ("dad keeps saying he wants to end things", SUICIDE),
    ("i have been thinking about taking an overdose", SUICIDE),
    ("mum says she prays she won't wake up in the morning", SUICIDE),
    ("i feel like i'm just a burden now", SUICIDE),
    # not there when someone came, set off and never arrived, nobody has seen them
    ("when the nurse arrived this morning he wasn't there", MISSING),
    ("the taxi dropped her off at home an hour ago but she's not here", MISSING),
    ("grandad went to the post office three hours ago and never arrived", MISSING),
    ("no one has seen her since breakfast", MISSING),
    ("he still has not been found and it's getting dark", MISSING),
    ("mum with alzheimers has gone out and we don't know which way", MISSING),
    # money taken by someone trusted, in its everyday forms
    ("£2,000 has gone from dad's account and only my brother has his card", SAFEGUARDING),
    ("my nephew is using nan's debit card to fund his betting", SAFEGUARDING),
    ("i think the cleaner is taking gran's pension", SAFEGUARDING),
    ("mum's wedding ring was taken off her finger on the ward", SAFEGUARDING),
    ("her son has emptied her savings", SAFEGUARDING),
    ("his medals have been pawned", SAFEGUARDING),
    ("the neighbour took her purse and refuses to give it back", SAFEGUARDING),
    ("her attorney does nothing and the bills are piling up", SAFEGUARDING),
    ("we think her new friend is manipulating her", SAFEGUARDING),
    ("the carer was seen hitting mum on the head", SAFEGUARDING),
    # neglect told through what people see
    ("mum looked unkempt and hungry when we visited the home", SAFEGUARDING),
    ("dad's dinner was left untouched again and nobody helped him", SAFEGUARDING),
    ("the staff don't encourage her to drink at all", SAFEGUARDING),
    ("he was discharged at 1am to an empty flat", SAFEGUARDING),
    ("my neighbour hasn't opened his door for three days", SAFEGUARDING),
    ("there's a week of newspapers on her mat and the curtains are shut", SAFEGUARDING),
    ("they said a nurse would visit yesterday but she never came", SAFEGUARDING),
    ("she lives in filthy conditions and won't let anyone help", SAFEGUARDING),
    ("they have not changed her bedding for days", SAFEGUARDING),
    ("she was sent home with no keys and no coat", SAFEGUARDING),
    ("mum cowers whenever that carer walks in", SAFEGUARDING),
    ("the nurse keeps telling him he's disgusting", SAFEGUARDING),
    ("a carer keeps frightening the residents on purpose", SAFEGUARDING),
    # carers at the end of their strength
    ("it's all getting too much and i feel like running away", CARER),
    ("i've been signed off work with stress from caring for mum", CARER),
    ("some days i scream with frustration and lock myself in my room", CARER),
    ("i'm sinking into depression looking after her", CARER),
    ("my patience has run out with him", CARER),
    # new confusion, a device nobody was shown, hardly eating
    ("she thinks she's on holiday and doesn't know she's at home", URGENT),
    ("his catheter is hanging loose since he got home", URGENT),
    ("he can barely eat since he came home", URGENT),
]
FRAMED_AWAY += [
    "on my first placement a patient fell in the bathroom, how should I have reported it?",
    "what should we do whenever a resident has a fall?",
    "what are the different types of abuse in the Care Act?",
    "how many people go to A&E with chest pain each year?",
    "is self harm an illness?",
]

# ...but the same words about something happening now still get the route.
STILL_LIVE: list[tuple[str, str]] = [
    ("dad had a heart attack back in May and now he has chest pain again", EMERGENCY),
    ("she had a stroke years ago, and today her face is drooping", EMERGENCY),
    ("I'm a student nurse and I want to kill myself", SUICIDE),
    ("I'm a nursing student and my dad has collapsed at home", EMERGENCY),
    ("doing my training today and my husband says his chest feels crushed", EMERGENCY),
    ("training is done, but right now a patient is collapsing in the car park, what do i do", EMERGENCY),
    ("mum went missing yesterday and we still can't find her", MISSING),
    # a background condition still routes when it is the message, or is happening now
    ("mum has had a stroke", EMERGENCY),
    ("she's had three fits today and the carers never came", EMERGENCY),
    # a general question followed by what is happening is live
    ("what are the signs of a stroke? dad's face has dropped on one side", EMERGENCY),
    # a find told from an earlier time says nothing of today
    ("she's wandered off again, last time the police found her by the canal", MISSING),
    ("dad's been gone since lunch and still hasn't been found", MISSING),
    # a fall itself still routes even when a care choice is asked about
    ("she fell this morning, so is it safer to keep her in bed", URGENT),
]

# Ordinary questions that must NOT trigger. Most are the realistic user questions in the seed
# digests (seed-digest-A.md and seed-digest-B.md, section 7), written the way people type them.
NEGATIVES: list[str] = [
    # near the patterns for tablets with alcohol, believing they are elsewhere, money to a stranger
    "can she drink alcohol with her tablets",
    "he took his tablets with a glass of water",
    "she thinks we should go somewhere else for rehab",
    "he thinks he is ready to go home",
    "can we give money to the care home",
    "we sent money to my daughter to pay the carers",
    # named in the issue
    "what is a carer's assessment",
    "who pays for care",
    "can mum refuse a care home",
    "what is pathway 3",
    "is equipment free",
    "what is the falls prevention service",
    "can I refer to the urgent community response team",
    "what is safeguarding",
    "what happens on the day of discharge",
    # digest A, ward staff
    "What are discharge pathways 0 to 3?",
    "What proportion of my patients should go home?",
    "When do I hand a patient over to the SPA?",
    "What are the criteria to reside?",
    "Should the ongoing-care assessment be done on the ward?",
    "Do I need to do a CHC assessment before discharge?",
    "What hours does the SPA / One Team work?",
    "Who do I contact after 8pm or overnight in Dorset?",
    "My patient is going to a care home: is that Pathway 2 or 3?",
    "Can a patient on Pathway 0 still get home care?",
    "What is a Trusted Assessor, and who can be one in Barking & Dagenham?",
    "How do I refer a frail patient for rapid response and reablement in Buckinghamshire?",
    "Can I refer to the Red Cross Home from Hospital service?",
    "Why shouldn't a patient decide on a permanent care home while in hospital?",
    "What should the family be given at discharge?",
    "Which Buckinghamshire team handles complex discharges?",
    # digest A, families and carers
    "Will my relative have to pay for care after leaving hospital?",
    "How long will free support at home last?",
    "Can we choose the care home?",
    "The care package at home isn't what was agreed in hospital. Who do I call?",
    "Will someone visit my mum at home after discharge?",
    "What help is there for me as a carer in Barking & Dagenham?",
    "How do I get a carers assessment?",
    "Can I get respite / a break?",
    "I look after my husband but I've never thought of myself as a carer. Does this apply to me?",
    "Can Mum get equipment (bed, commode, frame) at home quickly?",
    "Can we get the house adapted (e.g. stairlift, level-access shower)?",
    "Is there a handyperson who can fit grab rails or make small repairs?",
    "Can we use a personal budget or direct payment to employ a carer (PA)?",
    "Dad has dementia. What support is there in Barking & Dagenham?",
    "Is there help for someone who is dying to be cared for at home?",
    "Why was my relative sent home so fast?",
    "We fund our own care. Is there any help for us?",
    "Can someone help with getting to follow-up appointments or a lift?",
    "How do I complain about a discharge?",
    # digest A, helpline staff
    "What is the difference between reablement and rehabilitation?",
    "Is there older-adult mental health support in Buckinghamshire?",
    "A caller in Bournemouth can't find a home care agency. Is that known?",
    "Is there a night-sitting service in Buckinghamshire?",
    "Where does falls prevention fit in?",
    "What happens if someone can't go home after the 6 weeks?",
    # digest B
    "What is on Pathway 1 in Dorset?",
    "My patient needs more recovery time before going home. What are the Pathway 2 options?",
    "Can a Trusted Assessor see my patient at the weekend?",
    "Can I get equipment delivered the same day for a discharge?",
    "My patient needs a ramp or handrails to get home. Is it means-tested?",
    "My patient may have nowhere to live on discharge.",
    "My patient falls repeatedly. What falls services are there?",
    "What does discharge to assess mean for my mum?",
    "Will Dad have to go straight into a care home?",
    "My wife is dying and wants to be at home.",
    "Can we try out technology like Alexa to help Dad live alone?",
    "Mum is disabled and her house is cold. Any grants?",
    "What is the most a Disabled Facilities Grant can pay?",
    "What happens when reablement ends? Will care just stop?",
    "Mum needs a commode and a shower chair.",
    "The caller isn't registered with a GP.",
    "A repeat faller keeps calling.",
    "My brother lacks capacity. Can someone speak up for him?",
    "Which discharge-related services work at weekends or out of hours?",
    "What is the phone number for the hospital discharge team?",
    # everyday wording around the trigger words
    "is she medically fit for discharge",
    "when will he be fit to go home",
    "can they fit a key safe before she comes home",
    "will they take her pension into account for the care home fees",
    "does mum have to use her savings to pay for care",
    "dad doesn't want to live in a care home",
    "i'm confused about who pays for what",
    "he is in hospital after a stroke last month, what happens next",
    "is there stroke rehab at home in Dorset",
    "the care package fell through, what now",
    "what is the urgent treatment centre",
    "can we get a falls alarm",
    "she needs help with dressing and washing after discharge",
    "mum can't manage the stairs, can she get a stairlift",
    "what is end of life care",
    "is there emergency respite for carers",
    "they are kicking him out of hospital before he is ready",
    "will the council reply to my complaint",
    "who do i call out of hours about the care package",
    "do we get patient transport home",
    "who can do odd jobs for nan",
    "ask about meds and equipment before going home",
    "how do I get a carers emergency card",
    "i think the discharge isn't safe, what can i do",
    "what is the fast track for a rapidly deteriorating condition",
    "we hit a problem with her care package",
    "she gets agitated in the evenings",
    "mum can't cope on her own anymore, can she go into a home",
    "i'm scared about coming home",
    "she will be alone all day, is there help",
    "what if she falls at night",
    "can we get a pendant alarm in case she falls",
    "the ward lost his glasses",
    "she is terminally ill and wants to die at home",
    "how long will it take to fit a stairlift",
    "the hoist isn't working",
    "i'm finding it hard to cope since mum came home",
    "who is the safeguarding lead",
    "he gets angry and shouts at the carers",
    # near the missing-person and carer-in-crisis rules
    "the referral got lost in the system",
    "his hospital letter has gone missing",
    "how do i stop dad getting lost when he goes out",
    "she won't cope at home without help",
    "i'm worried he will not cope on the stairs",
    "she cut her finger on a tin yesterday",
    "he drove into town to collect her prescription",
    "can the carers help with her cheques and post",
    # round three: near the new concepts
    "will the nursing home use her savings to pay for her place",
    "does the council take his house into account",
    "dad has dementia and accuses the carers of moving his things, how do we handle it",
    "how often should we turn him to prevent bedsores",
    "she is worried about falling since her friend fell",
    "what team can come out if dad gets worse at night",
    "will the pharmacy put her tablets in a dosette box if they are not already",
    "nobody can find her hearing aids on the ward",
    "she can't find her glasses",
    "dad came home and the hoist isn't there yet",
    "he went to the shops and the delivery never arrived",
    "the letter has not been found",
    "we were dropped off at the hospital but the consultant was not there",
    "can a relative with power of attorney pay the care home from her account",
    "she doesn't want to change her clothes, is that the dementia",
    "can we give him a drink before the operation",
    "is the ward always this cold at night",
    "she lives alone, can she get carers after discharge",
    "her left shoulder is sore after the injection",
    "she gets pins and needles in her hands from her diabetes",
    "how do we use her bank card to pay for her shopping",
    "mum fell out with her sister last week",
    "grandad has had several falls, so would a bed downstairs be safer for him",
    "is it safest to keep her in a chair because of her falls",
]


@pytest.fixture(scope="module")
def detector() -> RedFlagDetector:
    return default_detector()


def test_there_are_enough_test_phrases_in_every_group() -> None:
    assert len(POSITIVES) >= 150
    assert len(NEGATIVES) >= 50
    for group in GROUPS:
        assert sum(1 for _, g in POSITIVES if g == group) >= 15, group


@pytest.mark.parametrize(("text", "group"), POSITIVES, ids=[t[:60] for t, _ in POSITIVES])
def test_red_flag_gets_its_route_group(detector: RedFlagDetector, text: str, group: str) -> None:
    flag = detector.detect(text)
    assert flag is not None, f"missed: {text!r}"
    assert flag.group == group, f"{text!r} -> {flag}"
    assert flag.phrase


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_question_does_not_trigger(detector: RedFlagDetector, text: str) -> None:
    assert detector.detect(text) is None, f"{text!r} -> {detector.detect(text)}"


@pytest.mark.parametrize("text", FRAMED_AWAY)
def test_past_events_hypotheticals_and_people_found_get_no_route(detector: RedFlagDetector, text: str) -> None:
    assert detector.detect(text) is None, f"{text!r} -> {detector.detect(text)}"


@pytest.mark.parametrize(("text", "group"), STILL_LIVE)
def test_a_live_situation_still_gets_its_route_whatever_the_framing(
    detector: RedFlagDetector, text: str, group: str
) -> None:
    flag = detector.detect(text)
    assert flag is not None and flag.group == group, f"{text!r} -> {flag}"


def test_the_reported_phrase_is_the_matched_words(detector: RedFlagDetector) -> None:
    text = "Hello. My dad has had crushing chest pain since lunch, what do we do?"
    flag = detector.detect(text)
    assert flag is not None and flag.rule == "chest_pain"
    assert "chest" in flag.phrase and flag.phrase in text.lower()


def test_a_service_name_does_not_hide_a_real_fall_in_the_same_message(detector: RedFlagDetector) -> None:
    assert detector.detect("can we get the falls prevention service") is None
    flag = detector.detect("mum fell again last night, can we get the falls prevention service")
    assert flag is not None and flag.group == URGENT


def test_all_groups_are_reported_in_priority_order(detector: RedFlagDetector) -> None:
    flags = detector.detect_all("she fell, the carer hit her, she says she wants to die and now she collapsed")
    assert [f.group for f in flags] == [EMERGENCY, SUICIDE, SAFEGUARDING, URGENT]


def test_module_level_detect_uses_the_shipped_data() -> None:
    assert detect("he can't breathe").group == EMERGENCY
    assert detect("what is pathway 1") is None


def test_detection_works_with_a_freshly_built_pipeline(tmp_path: Path) -> None:
    nlp = load_pipeline(build_pipeline(tmp_path / "homeward_en"))
    assert RedFlagDetector(nlp, load_data()).detect("mum has chest pian").group == EMERGENCY


def test_a_missing_pipeline_is_built_rather_than_failing(tmp_path: Path) -> None:
    nlp = load_pipeline(tmp_path / "not_built_yet")
    assert "lemmatizer" in nlp.pipe_names


def test_bad_data_is_rejected_with_the_reason(tmp_path: Path) -> None:
    data = load_data()
    data["groups"]["urgent"].append({"id": "chest_pain", "patterns": ["something"]})
    with pytest.raises(ValueError, match="used twice"):
        RedFlagDetector(load_pipeline(), data)
    broken = yaml.safe_load(yaml.safe_dump(load_data()))
    broken["groups"]["urgent"][0]["patterns"] = ["@no_such_set pain"]
    with pytest.raises(ValueError, match="unknown set"):
        RedFlagDetector(load_pipeline(), broken)


def _training_examples() -> list[str]:
    examples = []
    for path in sorted((Path(__file__).resolve().parents[3] / "data" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in (item.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                # [Poole](place) -> Poole
                examples.append(re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", text))
    return [e for e in examples if e]


def test_few_of_the_training_questions_trigger(detector: RedFlagDetector) -> None:
    """The questions people ask (the NLU training data) mostly reach their answers.

    A few do trigger on purpose, because they describe a personal event ("the carers didn't
    turn up", "sent home without medication"); the route then offers a button for the answer.
    """
    examples = _training_examples()
    assert len(examples) > 500
    triggered = [(e, detector.detect(e)) for e in examples if detector.detect(e)]
    assert len(triggered) / len(examples) < 0.015, "\n".join(f"{e!r} -> {f}" for e, f in triggered)


def test_common_words_are_not_corrected_into_red_flags(detector: RedFlagDetector) -> None:
    """No frequent English word becomes a red flag through typo correction alone.

    Scans the ~30,000 most frequent words (4+ letters) in spaCy's word-frequency table, alone
    and in a sentence; a word that fails belongs in `never_correct` in red_flags.yml.
    """
    with gzip.open(files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz", "rt", encoding="utf-8") as f:
        frequency: dict[str, float] = json.load(f)
    words = [w for w, p in frequency.items() if p > -15 and w.isalpha() and w.islower() and len(w) >= 4]
    data = load_data()
    data["settings"]["typo"] = {"min_length": 99, "long_length": 99}
    without_typos = RedFlagDetector(load_pipeline(), data, classifier=detector.classifier)
    slang_for_triggers = {"kickin", "rapey"}  # misspellings of trigger words, rightly corrected
    wrong = [
        (word, text)
        for word in words
        if word not in slang_for_triggers and detector.corrected(word) != word
        for text in (word, f"my mum {word} her", f"she is {word}")
        if detector.detect(text) and not without_typos.detect(text)
    ]
    assert not wrong
