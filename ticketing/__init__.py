"""yijian ticketing service: owns ticket data, routing, deadlines and the state machine."""
